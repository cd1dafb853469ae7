// A list as one reply: whole lines while they fit in Discord's 2,000 characters, then "… and N more"
// with how to see the rest. Every command that lists things (servers, devices, alarms, guests, saved
// batches, beta grants) answers through this, so a long list is trimmed instead of refused by Discord.
import { fitLines } from "./fit-text.ts";
import { LIMITS } from "./fit-payload.ts";

/**
 * `head` and `tail` (each optional, one line or more) frame the list; `narrow` says how to see what was
 * left out ("narrow it with `server:`"). Names in `lines` longer than a line's share are cut.
 */
export function listContent(input: { head?: string; lines: readonly string[]; tail?: string; narrow?: string; max?: number }): string {
  const max = input.max ?? LIMITS.content;
  const head = input.head ? `${input.head}\n` : "";
  const tail = input.tail ? `\n${input.tail}` : "";
  const more = (n: number) => `… and ${n} more${input.narrow ? ` (${input.narrow})` : ""}`;
  const { text } = fitLines(input.lines, max - head.length - tail.length, more);
  return `${head}${text}${tail}`;
}

/**
 * Page `page` (1-based) of a list too long for one reply: pages are cut as listContent cuts (whole lines while they
 * fit), each ending with `next(page + 1, left)` ("… and 85 more (`page: 2`)") while lines are left. Past the last
 * page: `null`. `head` gets " (page N)" from page 2 on.
 */
export function listPage(input: { head: string; lines: readonly string[]; tail?: string; page: number; next: (page: number, left: number) => string; max?: number }): string | null {
  const max = input.max ?? LIMITS.content;
  const tail = input.tail ? `\n${input.tail}` : "";
  let rest = input.lines;
  for (let page = 1; rest.length; page++) {
    const head = `${input.head}${page > 1 ? ` (page ${page})` : ""}\n`;
    const { text, omitted } = fitLines(rest, max - head.length - tail.length, (n) => input.next(page + 1, n));
    if (page === input.page) return `${head}${text}${tail}`;
    // Always one line further, so a page never repeats the last one's (a single line longer than a page is cut).
    rest = rest.slice(Math.max(1, rest.length - omitted));
  }
  return null;
}
