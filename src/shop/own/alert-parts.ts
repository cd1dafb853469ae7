// A shop alert's lines in posts of at most SHOP_ALERT_MAX_LINES, titled "(1/2)" … when split (as
// src/intel/watch/match.ts does for intel alerts).
import { SHOP_ALERT_MAX_LINES } from "../../notify/events.ts";

/** `lines` (at least one) as posts: one title and up to SHOP_ALERT_MAX_LINES lines each, in order. */
export function alertParts(title: string, lines: readonly string[]): { title: string; lines: string[] }[] {
  const parts: string[][] = [];
  for (let i = 0; i < lines.length; i += SHOP_ALERT_MAX_LINES) parts.push(lines.slice(i, i + SHOP_ALERT_MAX_LINES));
  if (parts.length === 1) return [{ title, lines: parts[0]! }];
  return parts.map((part, i) => ({ title: `${title} (${i + 1}/${parts.length})`, lines: part }));
}
