// Text for the game's team chat: one line, and at most 128 characters a message (the game cuts the rest).
// The game counts UTF-16 code units (C# strings); a cut never splits a character as the player sees it
// (an emoji with its skin tone or ZWJ parts, a letter with its accents): src/bot/fit-text.ts.
import { headOf } from "../bot/fit-text.ts";

export const TEAM_CHAT_LIMIT = 128;

/** One line without control characters; runs of whitespace become one space. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * Splits `text` into messages of at most `limit` units, each starting with `prefix`; cuts at the last space
 * in a message when there is one. At most `maxMessages`: the last one then ends with "…".
 */
export function splitForChat(text: string, options: { prefix?: string; limit?: number; maxMessages?: number } = {}): { messages: string[]; truncated: boolean } {
  const prefix = options.prefix ?? "";
  const limit = options.limit ?? TEAM_CHAT_LIMIT;
  const room = limit - prefix.length;
  if (room < 8) throw new Error("the prefix leaves no room for text");
  const max = options.maxMessages ?? Infinity;
  const messages: string[] = [];
  let rest = oneLine(text);
  while (rest && messages.length < max) {
    const last = messages.length === max - 1;
    const take = cut(rest, room);
    if (take.length === rest.length) {
      messages.push(prefix + rest);
      rest = "";
      break;
    }
    if (last) {
      messages.push(prefix + cut(rest, room - 1).trimEnd() + "…");
      return { messages, truncated: true };
    }
    messages.push(prefix + take.trimEnd());
    rest = rest.slice(take.length).trimStart();
  }
  return { messages, truncated: rest.length > 0 };
}

/** The longest head of `text` within `room` units: whole graphemes, ending at a space if one is there. */
function cut(text: string, room: number): string {
  return headOf(text, room, { atSpace: true });
}

/** Lines packed into as few messages as fit (lines longer than a message are split). */
export function packLines(lines: readonly string[], maxMessages: number, limit = TEAM_CHAT_LIMIT): string[] {
  const messages: string[] = [];
  for (const raw of lines) {
    const line = oneLine(raw);
    if (!line) continue;
    const tail = messages.at(-1);
    if (tail !== undefined && tail.length + 3 + line.length <= limit) messages[messages.length - 1] = `${tail} | ${line}`;
    else messages.push(...splitForChat(line, { limit }).messages);
  }
  if (messages.length <= maxMessages) return messages;
  const kept = messages.slice(0, maxMessages);
  kept[maxMessages - 1] = cut(kept[maxMessages - 1]!, limit - 1).trimEnd() + "…";
  return kept;
}
