// Lines of one alert in posts that each fit one embed, for the producers that coalesce many lines into one post
// (intel alerts, shop alerts). Lines are never cut by the dispatcher's fitting, so none is lost.

/** The event schemas cut an alert line at this length (src/notify/events.ts), so a line counts at most this long. */
const LINE_MAX = 200;
/** Discord's embed description; the formatter's escaping (markdown, "@") at most doubles a line. */
const DESCRIPTION_BUDGET = 4_096;

/** `lines` in order, grouped into posts of at most `maxLines` lines whose escaped text fits one description. */
export function splitAlertLines(lines: readonly string[], maxLines: number): string[][] {
  const parts: string[][] = [];
  let used = 0;
  for (const l of lines) {
    const cost = 2 * Math.min(l.length, LINE_MAX) + 1;
    const last = parts.at(-1);
    if (last && last.length < maxLines && used + cost <= DESCRIPTION_BUDGET) {
      last.push(l);
      used += cost;
    } else {
      parts.push([l]);
      used = cost;
    }
  }
  return parts;
}
