// A shop alert's lines in posts that each fit one embed (src/notify/split-lines.ts, shared with intel alerts), titled
// "(1/2)" … when split.
import { SHOP_ALERT_MAX_LINES } from "../../notify/events.ts";
import { splitAlertLines } from "../../notify/split-lines.ts";

/** `lines` in order, in posts of at most SHOP_ALERT_MAX_LINES lines that fit one embed (src/notify/split-lines.ts). */
export const splitShopAlertLines = (lines: readonly string[]): string[][] => splitAlertLines(lines, SHOP_ALERT_MAX_LINES);

/** `lines` (at least one) as posts: one title each, split by splitShopAlertLines. */
export function alertParts(title: string, lines: readonly string[]): { title: string; lines: string[] }[] {
  const parts = splitShopAlertLines(lines);
  if (parts.length === 1) return [{ title, lines: parts[0]! }];
  return parts.map((part, i) => ({ title: `${title} (${i + 1}/${parts.length})`, lines: part }));
}
