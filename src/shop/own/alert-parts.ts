// A shop alert's lines in posts that each fit one embed: at most SHOP_ALERT_MAX_LINES lines and a description within
// Discord's 4,096 characters once escaped, titled "(1/2)" … when split (as src/intel/watch/match.ts does for intel
// alerts). Lines are never cut by the dispatcher's fitting, so none is lost.
import { SHOP_ALERT_MAX_LINES } from "../../notify/events.ts";

/** The event schema cuts a line at this length (src/notify/events.ts), so a line counts at most this long. */
const LINE_MAX = 200;
/** Discord's embed description; the formatter's escaping (markdown, "@") at most doubles a line. */
const DESCRIPTION_BUDGET = 4_096;

/** `lines` in order, grouped into posts of at most SHOP_ALERT_MAX_LINES lines whose escaped text fits a description. */
export function splitAlertLines(lines: readonly string[]): string[][] {
  const parts: string[][] = [];
  let used = 0;
  for (const l of lines) {
    const cost = 2 * Math.min(l.length, LINE_MAX) + 1;
    const last = parts.at(-1);
    if (last && last.length < SHOP_ALERT_MAX_LINES && used + cost <= DESCRIPTION_BUDGET) {
      last.push(l);
      used += cost;
    } else {
      parts.push([l]);
      used = cost;
    }
  }
  return parts;
}

/** `lines` (at least one) as posts: one title each, split by splitAlertLines. */
export function alertParts(title: string, lines: readonly string[]): { title: string; lines: string[] }[] {
  const parts = splitAlertLines(lines);
  if (parts.length === 1) return [{ title, lines: parts[0]! }];
  return parts.map((part, i) => ({ title: `${title} (${i + 1}/${parts.length})`, lines: part }));
}
