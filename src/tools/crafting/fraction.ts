// Exact non-negative fractions over BigInt, for amortised crafting costs (1/2 an explosive round's recipe…).
export interface Fraction {
  n: bigint;
  d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

export function frac(n: bigint, d = 1n): Fraction {
  const g = gcd(n < 0n ? -n : n, d) || 1n;
  return { n: n / g, d: d / g };
}

export const add = (a: Fraction, b: Fraction): Fraction => frac(a.n * b.d + b.n * a.d, a.d * b.d);
export const mul = (a: Fraction, b: Fraction): Fraction => frac(a.n * b.n, a.d * b.d);

/** A fraction for people: whole numbers as is (with thousands separators), others to two decimals. */
export function formatFraction(f: Fraction): string {
  if (f.d === 1n) return f.n.toLocaleString("en-US");
  const hundredths = (f.n * 100n + f.d / 2n) / f.d;
  return (Number(hundredths) / 100).toLocaleString("en-US", { maximumFractionDigits: 2 });
}
