// What a player's intel note holds, checked: the note's text, tags and a hand-given Steam id.
import { UserError } from "../../errors.ts";

export const NOTE_TEXT_MAX = 1000;
export const TAG_MAX = 20;
export const TAGS_MAX = 10;
/** Lowercase letters, digits, "-" and "_", starting with a letter or digit. */
const TAG = /^[a-z0-9][a-z0-9_-]*$/;
/**
 * Individual Steam accounts: SteamID64 = 76561197960265728 (universe 1, type 1, instance 1, account 0) + the
 * 32-bit account number (Valve Developer Community, "SteamID"), so 76561197960265728 … 76561202255233023.
 */
const STEAM_ID_MIN = 76561197960265728n;
const STEAM_ID_MAX = 76561202255233023n;

/** The note's text, trimmed; "-" clears it (null). @throws UserError when blank or over 1,000 characters. */
export function parseNoteText(input: string): string | null {
  const text = input.trim();
  if (text === "-") return null;
  if (!text) throw new UserError("The note is empty. Write what to remember, or `-` to clear the note.");
  if (text.length > NOTE_TEXT_MAX) throw new UserError(`A player note is at most ${NOTE_TEXT_MAX} characters (yours has ${text.length}).`);
  return text;
}

/** A tag, lowercased. @throws UserError naming the allowed form. */
export function parseTag(input: string): string {
  const tag = input.trim().toLowerCase();
  if (!tag || tag.length > TAG_MAX || !TAG.test(tag)) {
    throw new UserError(`A tag is 1 to ${TAG_MAX} characters: letters a-z, digits, \`-\` and \`_\` (like \`raider\` or \`main-base\`).`);
  }
  return tag;
}

/** A SteamID64 of an individual account. @throws UserError for anything else. */
export function parseSteamId(input: string): string {
  const id = input.trim();
  if (/^7656\d{13}$/.test(id)) {
    const n = BigInt(id);
    if (n >= STEAM_ID_MIN && n <= STEAM_ID_MAX) return id;
  }
  throw new UserError("That is not a Steam id: give the 17-digit SteamID64 of the player's account (7656119…), as on their Steam profile's address.");
}
