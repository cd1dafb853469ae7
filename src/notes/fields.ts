// What a note says and how it looks: its label, and for CUSTOM notes one emoji and a colour. Checked here
// once for /note and !note.
import { UserError } from "../errors.ts";

export const LABEL_MAX = 100;

/** A trimmed label without control characters, at most LABEL_MAX characters. @throws UserError otherwise. */
export function parseLabel(input: string): string {
  const label = input.trim();
  if (/[\p{Cc}\p{Cf}]/u.test(label.replace(/\u200d|\ufe0f/g, ""))) throw new UserError("A note's label cannot contain control characters.");
  if (label.length > LABEL_MAX) throw new UserError(`A note's label is at most ${LABEL_MAX} characters (yours has ${label.length}).`);
  return label;
}

// One RGI emoji (skin tones, flags and ZWJ sequences included); built at run time: the `v` flag is ES2024.
const ONE_EMOJI = new RegExp("^\\p{RGI_Emoji}$", "v");
const CUSTOM_EMOJI = /^<a?:[A-Za-z0-9_]{2,32}:\d{17,20}>$/;

/** Whether a note's emoji is a Discord server emoji (`<:name:id>`), an image on Discord's CDN rather than a character. */
export const isServerEmoji = (emoji: string): boolean => CUSTOM_EMOJI.test(emoji);

/** One Unicode emoji or one Discord custom emoji (`<:name:id>`). @throws UserError otherwise. */
export function parseEmoji(input: string): string {
  const emoji = input.trim();
  if (ONE_EMOJI.test(emoji) || CUSTOM_EMOJI.test(emoji)) return emoji;
  throw new UserError("`emoji` takes one emoji, like 🏠 or a server emoji picked with `:`.");
}

/** `#rrggbb` (or `rrggbb`), returned lower-case with the `#`. @throws UserError otherwise. */
export function parseColor(input: string): string {
  const match = /^#?([0-9a-f]{6})$/i.exec(input.trim());
  if (!match?.[1]) throw new UserError("`color` is a colour like `#ff8800` (a `#` and six hex digits).");
  return `#${match[1].toLowerCase()}`;
}
