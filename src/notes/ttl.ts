// How long a map note stays: "30m", "2h", "1d", "1h30m", or "until wipe" (no expiry; every note ends at a wipe).
// Stored as an absolute expiresAt, so a note ends on time across restarts (read.ts hides it, sweep.ts deletes it).
import { headOf } from "../bot/fit-text.ts";
import { UserError } from "../errors.ts";

export const TTL_MIN_MS = 60_000;
export const TTL_MAX_MS = 30 * 86_400_000;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
const SHAPE = /^(?:\d{1,4}\s*[mhdw]\s*)+$/;
const UNTIL_WIPE = new Set(["until wipe", "untilwipe", "wipe"]);

/** null = until the wipe; otherwise milliseconds. */
export type Ttl = number | null;

/**
 * "2h" → 7_200_000; "until wipe" → null.
 * @throws UserError for anything else, for zero or negative durations, and outside 1 minute … 30 days.
 */
export function parseTtl(input: string): Ttl {
  const text = input.trim().toLowerCase();
  if (UNTIL_WIPE.has(text.replace(/\s+/g, " "))) return null;
  if (!SHAPE.test(text)) {
    throw new UserError(`\`${headOf(input, 20)}\` is not a time to keep the note: use minutes, hours or days like \`30m\`, \`2h\`, \`1d\`, or \`until wipe\`.`);
  }
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)\s*([mhdw])/g)) ms += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  if (ms < TTL_MIN_MS) throw new UserError("A note has to stay at least 1 minute (`1m`).");
  if (ms > TTL_MAX_MS) throw new UserError("A note can stay at most 30 days (`30d`); for longer, use `until wipe`.");
  return ms;
}

/** The absolute expiry of a note made at `now` (ms), or null until the wipe. */
export function expiryOf(ttl: Ttl, now: number): Date | null {
  return ttl === null ? null : new Date(now + ttl);
}
