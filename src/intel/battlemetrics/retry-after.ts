// Retry-After as RFC 9110 §10.2.3 defines it: a number of seconds or an HTTP-date.

const DEFAULT_MS = 60_000;
const MAX_MS = 3_600_000;

/** How long to wait (ms) after a 429: the header's seconds or date, else a minute; never past an hour. */
export function retryAfterMs(header: string | null, now: number): number {
  const value = header?.trim();
  if (!value) return DEFAULT_MS;
  if (/^\d{1,10}$/.test(value)) return Math.min(Number(value) * 1_000, MAX_MS);
  const at = Date.parse(value);
  if (!Number.isFinite(at) || !/[a-z]/i.test(value)) return DEFAULT_MS;
  return Math.min(Math.max(0, at - now), MAX_MS);
}
