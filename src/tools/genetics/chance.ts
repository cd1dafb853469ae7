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

/** The product of two fractions, reduced (the path of a multi-generation search). */
export function multiply(a: Fraction, b: Fraction): Fraction {
  const x = reduce(a.numerator, b.denominator);
  const y = reduce(b.numerator, a.denominator);
  return { numerator: x.numerator * y.numerator, denominator: y.denominator * x.denominator };
}

/** "100 %", "1 in 3 (33.3 %)", "5 in 12 (41.7 %)"; a fraction saved without its numerator (older versions) reads as 1. */
export function formatChance(chance: { numerator?: number; denominator: number }, digits = 1): string {
  const { numerator, denominator } = reduce(chance.numerator ?? 1, chance.denominator);
  if (numerator === denominator) return "100 %";
  return `${numerator} in ${denominator} (${((numerator / denominator) * 100).toFixed(digits)} %)`;
}
