// Slot states: how many neighbours carry each gene in one slot (at most 8 neighbours in all), numbered
// 0 … 1 286, with a table to add one neighbour and, per state, the top total and the genes tied at the top.
import { GENE_WEIGHT } from "./genome.ts";

export const MAX_NEIGHBOURS = 8;

export interface SlotStates {
  count: number;
  /** next[state * 5 + gene]: the state after one more neighbour with that gene (-1 past 8 neighbours). */
  next: Int16Array;
  /** The top weight total (integers: green 3, red 5). */
  top: Int8Array;
  /** Per gene, its weight total: totals[state * 5 + gene]. */
  totals: Int8Array;
  /** The genes tied at the top, as a bit mask (bit = gene). */
  tieMask: Uint8Array;
}

function build(): SlotStates {
  const vectors: number[][] = [];
  const index = new Map<string, number>();
  const walk = (prefix: number[], left: number): void => {
    if (prefix.length === 5) {
      index.set(prefix.join(","), vectors.length);
      vectors.push(prefix);
      return;
    }
    for (let n = 0; n <= left; n++) walk([...prefix, n], left - n);
  };
  walk([], MAX_NEIGHBOURS);
  const count = vectors.length;
  const next = new Int16Array(count * 5).fill(-1);
  const top = new Int8Array(count);
  const totals = new Int8Array(count * 5);
  const tieMask = new Uint8Array(count);
  vectors.forEach((vector, state) => {
    let best = 0;
    for (let gene = 0; gene < 5; gene++) {
      const total = (vector[gene] ?? 0) * (GENE_WEIGHT[gene] ?? 0);
      totals[state * 5 + gene] = total;
      best = Math.max(best, total);
      const bigger = vector.map((n, g) => (g === gene ? n + 1 : n));
      const target = index.get(bigger.join(","));
      if (target !== undefined) next[state * 5 + gene] = target;
    }
    top[state] = best;
    let mask = 0;
    for (let gene = 0; gene < 5; gene++) if (best > 0 && totals[state * 5 + gene] === best) mask |= 1 << gene;
    tieMask[state] = mask;
  });
  return { count, next, top, totals, tieMask };
}

export const slotStates: SlotStates = build();
/** The state with no neighbour. */
export const EMPTY_STATE = 0;
