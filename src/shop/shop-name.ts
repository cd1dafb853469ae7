// A vending machine's name as a player typed it (the game caps it at 32 characters, but a modded or hostile server
// may send anything), made safe to show inside one line of our text: a newline would start a line that reads like
// one of our own ("🆕 Rocket: 1 Scrap each"), and a bidi override or isolate would turn the rest of the line around.
import { headOf } from "../bot/fit-text.ts";

// C0/C1 controls (newlines, tabs), the line and paragraph separators, and the bidi marks, embeddings, overrides
// and isolates.
const BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]+/g;

/**
 * `name` on one line of at most `max` characters (cut between graphemes): controls and bidi characters become a
 * space, runs of spaces one, ends trimmed. "" when nothing is left. Still a player's text: escape it where shown.
 */
export function shopNameText(name: string, max = 40): string {
  return headOf(name.replace(BREAKING, " ").replace(/\s+/g, " ").trim(), max).trimEnd();
}
