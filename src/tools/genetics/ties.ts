// The joint chances of tied slots. The game visits the neighbours in one order, the same for all six slots, and a
// gene becomes dominant only when its running total is strictly greater than the dominant's (GrowableGenetics.
// GetDominantGeneWeighting in the decompiled server, e.g. GoofyNest/RustServer-Staging GrowableGenetics.cs): among
// the genes tied at the top, the winner is the one that reached the top total first, i.e. whose LAST carrier comes
// earliest. The order is the physics query's, not the player's: every order of the (distinct) plants is taken as
// equally likely. Read backwards, a slot's winner is the tied group whose first carrier appears last; so only the
// order in which plant types first appear (backwards) matters, and the next new type among a set U of unseen types
// is t with chance copies(t) / copies(U). A depth-first walk over those first appearances stops as soon as every
// slot is decided, which keeps it to a handful of steps for the usual one or two tied slots.
import { ORDERS, reduce } from "./chance.ts";
import { SLOTS, geneAt, type Genome } from "./genome.ts";
import type { Outcome } from "./rule.ts";
import { slotOutcomes } from "./rule.ts";

const POWERS = [1, 5, 25, 125, 625, 3125];
const MAX_TYPES = 8;
const MAX_GROUPS = 5;
/** Distinct winner vectors: at most 3 tied genes in each of 6 slots. */
const MAX_OUTCOMES = 3 ** SLOTS;

/** Reusable, allocation-free: fill types and tied slots, then solve(). */
export class TieSolver {
  /** Distinct plant types (at most 8) and how many copies of each are planted. */
  types = 0;
  readonly copies = new Int32Array(MAX_TYPES);
  /** Tied slots (at most 6): the genome slot, and per tied gene the bit mask of the types carrying it there. */
  slots = 0;
  readonly slotIndex = new Int32Array(SLOTS);
  readonly groups = new Int32Array(SLOTS);
  readonly groupMask = new Int32Array(SLOTS * MAX_GROUPS);
  readonly groupGene = new Int32Array(SLOTS * MAX_GROUPS);
  /** After solve(): per outcome, the tied slots' genes as a genome part (gene × 5^slot summed) and its chance in 8!-ths. */
  outcomes = 0;
  readonly outGenes = new Int32Array(MAX_OUTCOMES);
  readonly outChance = new Int32Array(MAX_OUTCOMES);
  private readonly seenAt = new Int32Array(5 ** SLOTS);
  private readonly slotOf = new Int32Array(5 ** SLOTS);
  private stamp = 0;

  /** Starts a new problem. */
  clear(): void {
    this.types = 0;
    this.slots = 0;
  }

  /** Keeps the types, drops the tied slots (another set of tied slots of the same plants). */
  clearSlots(): void {
    this.slots = 0;
  }

  /** One more tied slot: returns its index, to pass to addGroup. */
  addSlot(slot: number): number {
    this.slotIndex[this.slots] = slot;
    this.groups[this.slots] = 0;
    return this.slots++;
  }

  addGroup(tied: number, gene: number, mask: number): void {
    const k = this.groups[tied] ?? 0;
    this.groupMask[tied * MAX_GROUPS + k] = mask;
    this.groupGene[tied * MAX_GROUPS + k] = gene;
    this.groups[tied] = k + 1;
  }

  /** The distribution of the tied slots' winners; returns the number of outcomes (each with a chance above 0). */
  solve(): number {
    this.outcomes = 0;
    if (++this.stamp > 0x3fffffff) {
      this.stamp = 1;
      this.seenAt.fill(0);
    }
    this.walk(0, 0, 0, ORDERS);
    return this.outcomes;
  }

  /** seen: types that appeared (backwards); decided: tied slots whose winner is known, with their genes in `genes`. */
  private walk(seen: number, decided: number, genes: number, chance: number): void {
    let open = 0; // types that can still change an undecided slot
    for (let s = 0; s < this.slots; s++) {
      if (decided & (1 << s)) continue;
      const base = s * MAX_GROUPS;
      const k = this.groups[s] ?? 0;
      let untouched = 0;
      let last = -1;
      let masks = 0;
      for (let g = 0; g < k; g++) {
        const mask = this.groupMask[base + g] ?? 0;
        if (mask & seen) continue;
        untouched++;
        last = g;
        masks |= mask;
      }
      if (untouched <= 1) {
        decided |= 1 << s;
        genes += (this.groupGene[base + last] ?? 0) * (POWERS[this.slotIndex[s] ?? 0] ?? 0);
      } else open |= masks;
    }
    if (open === 0) {
      this.add(genes, chance);
      return;
    }
    let pool = 0;
    for (let t = 0; t < this.types; t++) if (open & (1 << t)) pool += this.copies[t] ?? 0;
    for (let t = 0; t < this.types; t++) {
      // A whole number of 8!-ths at every step: each step is an event on the order of at most 8 plants.
      if (open & (1 << t)) this.walk(seen | (1 << t), decided, genes, (chance * (this.copies[t] ?? 0)) / pool);
    }
  }

  private add(genes: number, chance: number): void {
    if (this.seenAt[genes] === this.stamp) {
      const i = this.slotOf[genes] ?? 0;
      this.outChance[i] = (this.outChance[i] ?? 0) + chance;
      return;
    }
    this.seenAt[genes] = this.stamp;
    this.slotOf[genes] = this.outcomes;
    this.outGenes[this.outcomes] = genes;
    this.outChance[this.outcomes] = chance;
    this.outcomes++;
  }
}

const shared = new TieSolver();

/**
 * Every genome one crossbreed can give and its exact chance (the fast method the enumerator uses, in plain form).
 * sources: the neighbours (at most 8; a genome listed twice is two plants); centre: as in rule.ts.
 * Throws a RangeError past 8 neighbours.
 */
export function orderOutcomes(sources: readonly Genome[], centre: Genome | null): Outcome[] {
  if (sources.length > MAX_TYPES) throw new RangeError(`at most ${MAX_TYPES} neighbours`);
  const kinds: Genome[] = [];
  shared.clear();
  for (const source of sources) {
    let t = kinds.indexOf(source);
    if (t < 0) {
      t = kinds.push(source) - 1;
      shared.copies[t] = 0;
    }
    shared.copies[t] = (shared.copies[t] ?? 0) + 1;
  }
  shared.types = kinds.length;
  let fixed = 0;
  for (let slot = 0; slot < SLOTS; slot++) {
    const options = slotOutcomes(sources, centre, slot);
    if (options.length === 1) {
      fixed += (options[0] ?? 0) * (POWERS[slot] ?? 0);
      continue;
    }
    const tied = shared.addSlot(slot);
    for (const gene of options) shared.addGroup(tied, gene, kinds.reduce((mask, kind, t) => (geneAt(kind, slot) === gene ? mask | (1 << t) : mask), 0));
  }
  const count = shared.solve();
  const outcomes: Outcome[] = [];
  for (let i = 0; i < count; i++) outcomes.push({ genome: fixed + (shared.outGenes[i] ?? 0), ...reduce(shared.outChance[i] ?? 0, ORDERS) });
  return outcomes;
}
