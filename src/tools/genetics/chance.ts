// Chances as exact fractions. A crossbreed has at most 8 neighbours and every order of them is equally likely,
// so every chance the solver computes is a whole number of 8!-ths; they are reduced only to be shown.

/** 8!: the common denominator of every chance of one crossbreed (n! divides it for n ≤ 8). */
export const ORDERS = 40_320;

export interface Fraction {
  numerator: number;
  denominator: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numerator / denominator in lowest terms (both positive integers below 2^53). */
export function reduce(numerator: number, denominator: number): Fraction {
  const d = gcd(numerator, denominator) || 1;
  return { numerator: numerator / d, denominator: denominator / d };
}

/** The product of several chances, exactly (a multi-generation path: its denominator can pass 2^53). */
export function product(parts: readonly Fraction[]): { numerator: bigint; denominator: bigint } {
  let numerator = 1n;
  let denominator = 1n;
  for (const part of parts) {
    numerator *= BigInt(part.numerator);
    denominator *= BigInt(part.denominator);
    const d = bigGcd(numerator, denominator) || 1n;
    numerator /= d;
    denominator /= d;
  }
  return { numerator, denominator };
}

/** Positive when a > b (exact). */
export function compareBig(a: { numerator: bigint; denominator: bigint }, b: { numerator: bigint; denominator: bigint }): number {
  const difference = a.numerator * b.denominator - b.numerator * a.denominator;
  return difference > 0n ? 1 : difference < 0n ? -1 : 0;
}

/** As numbers: exact when both fit in 2^53, else numerator and denominator 0 (formatChance then shows the percentage only). */
export function toNumbers(f: { numerator: bigint; denominator: bigint }): Fraction & { chance: number } {
  const chance = Number(f.numerator) / Number(f.denominator);
  const safe = f.denominator <= BigInt(Number.MAX_SAFE_INTEGER);
  return { chance, numerator: safe ? Number(f.numerator) : 0, denominator: safe ? Number(f.denominator) : 0 };
}

function bigGcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** "100 %", "1 in 3 (33.3 %)", "5 in 12 (41.7 %)"; a chance saved without its numerator (older versions) reads as 1 in
 * denominator; one without an exact fraction (denominator 0) shows its percentage only. */
export function formatChance(chance: { chance?: number; numerator?: number; denominator: number }, digits = 1): string {
  const exact = Number.isSafeInteger(chance.denominator) && chance.denominator > 0;
  if (!exact) return `${((chance.chance ?? 0) * 100).toFixed(digits)} %`;
  const { numerator, denominator } = reduce(chance.numerator ?? 1, chance.denominator);
  if (numerator === denominator) return "100 %";
  return `${numerator} in ${denominator} (${((numerator / denominator) * 100).toFixed(digits)} %)`;
}
