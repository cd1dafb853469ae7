// The cheapest mix of explosives for one target. Each explosive type i destroys the target alone with n_i
// of them. Without damage figures one of them counts as 1/n_i of the target; with the target's HP and an
// explosive's damage, as that damage (the others then as HP/n_i, rounded up in millionths of HP, which keeps n_i
// exact). A mix works when its parts add up to the whole target.
//
// Exact and of known size: a dynamic programme over the sulfur spent (in steps of the greatest common divisor
// of the prices), keeping for each amount the largest part of the target it can buy (unbounded knapsack; more
// than n_i of one type is never needed, since n_i alone suffices). The first amount whose part covers the
// target is the cheapest. Parts are BigInt, so nothing is rounded. Nine types and a 20,000-sulfur target take
// a few thousand steps.

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

/** Search size guard: (sulfur steps up to the cheapest single type) × types. */
export const MAX_STEPS = 4_000_000;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** How many steps the search takes for these options (counts and sulfur per explosive). */
export function mixSteps(options: readonly Pick<MixOption, "count" | "sulfur">[]): number {
  if (options.length === 0 || options.some((o) => o.sulfur === 0)) return 0;
  const step = options.reduce((g, o) => gcd(g, o.sulfur), 0);
  const budget = Math.min(...options.map((o) => o.count * o.sulfur));
  return (budget / step) * options.length;
}

const MICRO = 1_000_000n;

/** The target in integer units and each option's part of it. */
function weights(options: readonly MixOption[], hp: number | undefined): { total: bigint; weight: bigint[] } {
  if (hp === undefined || !options.some((o) => o.damage !== undefined)) {
    const total = options.reduce((p, o) => p * BigInt(o.count), 1n);
    return { total, weight: options.map((o) => total / BigInt(o.count)) };
  }
  const total = BigInt(hp) * MICRO;
  const weight = options.map((o) =>
    o.damage !== undefined ? BigInt(Math.round(o.damage * 1_000_000)) : (total + BigInt(o.count) - 1n) / BigInt(o.count),
  );
  return { total, weight };
}

/**
 * The mix of the least sulfur that destroys one target. Ties go to the mix found first (types in the order given).
 * Throws when there are no options or the search would exceed MAX_STEPS (the raid table's schema refuses such tables).
 */
export function cheapestMix(options: readonly MixOption[], hp?: number): Mix {
  if (options.length === 0) throw new Error("no explosives to mix");
  const free = options.find((o) => o.sulfur === 0);
  if (free) return { amounts: { [free.key]: free.count }, sulfur: 0 };
  const steps = mixSteps(options);
  if (steps > MAX_STEPS) throw new Error(`mix search too large (${steps} steps)`);

  const step = options.reduce((g, o) => gcd(g, o.sulfur), 0);
  const price = options.map((o) => o.sulfur / step);
  const budget = Math.min(...options.map((o, i) => o.count * price[i]!));
  const { total, weight } = weights(options, hp);
  // best[b]: the largest part of the target bought with exactly b steps of sulfur (-1: no mix costs that);
  // parts are capped at the whole target. last[b]: the type bought last on the way there.
  const best = new Array<bigint>(budget + 1).fill(-1n);
  const last = new Int8Array(budget + 1).fill(-1);
  best[0] = 0n;
  let found = budget;
  for (let b = 1; b <= budget; b++) {
    for (let i = 0; i < options.length; i++) {
      const from = b - price[i]!;
      if (from < 0 || best[from]! < 0n) continue;
      const part = best[from]! + weight[i]!;
      const capped = part > total ? total : part;
      if (capped > best[b]!) {
        best[b] = capped;
        last[b] = i;
      }
    }
    if (best[b]! >= total) {
      found = b;
      break;
    }
  }
  const amounts: Record<string, number> = {};
  for (let b = found; b > 0; b -= price[last[b]!]!) {
    const key = options[last[b]!]!.key;
    amounts[key] = (amounts[key] ?? 0) + 1;
  }
  return { amounts, sulfur: found * step };
}
