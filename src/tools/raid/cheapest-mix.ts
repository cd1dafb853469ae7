// The cheapest mix of explosives for one target. Each explosive type i destroys the target alone with n_i
// of them. Without damage figures one of them counts as 1/n_i of the target; with the target's HP and an
// explosive's damage, as that damage (the others then as HP/n_i, rounded up in millionths of HP, which keeps n_i
// exact). A mix works when its parts add up to the whole target. Exact: parts are compared in integers
// (BigInt), and the search tries every count of every type but the last, whose count is then the least that
// completes the target.

export interface MixOption {
  key: string;
  /** How many destroy the target alone. */
  count: number;
  /** Sulfur per explosive. */
  sulfur: number;
  /** Damage of one to the target, where known (needs the target's HP). */
  damage?: number;
}

export interface Mix {
  /** Per key, how many (zero counts left out). */
  amounts: Record<string, number>;
  sulfur: number;
}

/** Search size guard: the product of (count + 1) over all but the last type. */
export const MAX_STATES = 2_000_000;

/** How many states the search visits for these counts (all but the largest are enumerated). */
export function mixStates(counts: readonly number[]): number {
  const sorted = [...counts].sort((a, b) => a - b);
  return sorted.slice(0, -1).reduce((n, c) => n * (c + 1), 1);
}

const MICRO = 1_000_000n;

/** The target in integer units and each option's part of it. */
function weights(sorted: readonly MixOption[], hp: number | undefined): { total: bigint; weight: bigint[] } {
  if (hp === undefined || !sorted.some((o) => o.damage !== undefined)) {
    const total = sorted.reduce((p, o) => p * BigInt(o.count), 1n);
    return { total, weight: sorted.map((o) => total / BigInt(o.count)) };
  }
  const total = BigInt(hp) * MICRO;
  const weight = sorted.map((o) =>
    o.damage !== undefined ? BigInt(Math.round(o.damage * 1_000_000)) : (total + BigInt(o.count) - 1n) / BigInt(o.count),
  );
  return { total, weight };
}

export function cheapestMix(options: readonly MixOption[], hp?: number): Mix {
  if (options.length === 0) throw new Error("no explosives to mix");
  // The type with the largest count goes last (computed, not enumerated): the smallest search.
  const sorted = [...options].sort((a, b) => a.count - b.count);
  const last = sorted[sorted.length - 1]!;
  const rest = sorted.slice(0, -1);
  const states = mixStates(sorted.map((o) => o.count));
  if (states > MAX_STATES) throw new Error(`mix search too large (${states} states)`);
  const { total, weight } = weights(sorted, hp);
  const lastWeight = weight[weight.length - 1]!;

  let best: Mix = { amounts: { [last.key]: last.count }, sulfur: last.count * last.sulfur };
  const amounts = new Array<number>(rest.length).fill(0);
  const visit = (index: number, share: bigint, sulfur: number): void => {
    if (sulfur >= best.sulfur) return;
    if (index === rest.length) {
      const missing = total - share;
      const need = missing <= 0n ? 0 : Number((missing + lastWeight - 1n) / lastWeight);
      const cost = sulfur + need * last.sulfur;
      if (cost < best.sulfur) {
        const mix: Record<string, number> = {};
        rest.forEach((o, i) => { if (amounts[i]! > 0) mix[o.key] = amounts[i]!; });
        if (need > 0) mix[last.key] = need;
        best = { amounts: mix, sulfur: cost };
      }
      return;
    }
    const option = rest[index]!;
    for (let a = 0; a <= option.count; a++) {
      amounts[index] = a;
      const nextShare = share + BigInt(a) * weight[index]!;
      visit(index + 1, nextShare, sulfur + a * option.sulfur);
      if (nextShare >= total) break;
    }
    amounts[index] = 0;
  };
  visit(0, 0n, 0);
  return best;
}
