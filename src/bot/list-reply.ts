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
