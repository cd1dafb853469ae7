// Rust servers with `server.censorplayerlist` (on by default) hand Steam's player list a random name per
// connection instead of the real one: `RandomUsernames.Get(userid + Random.Range(0, 100000))` in the server's
// auth code (seen in public Harmony patches of ConnectionAuth). Those names come from Facepunch's word list:
// capitalised plain words, no digits, clan tags, symbols or non-Latin letters, which real names almost always
// have somewhere in a list. The word list itself is not public, so a list is judged by that shape.

/** A name shaped like a generated one: one to three capitalised Latin words, optionally joined by a space, `_` or `-`. */
const GENERATED = /^[A-Z][a-z]{1,15}(?:[ _-]?[A-Z][a-z]{1,15}){0,2}$/;

/** Fewer named players than this say nothing (five real players may well all be called "Bob"-like names). */
export const STREAMER_MODE_MIN_PLAYERS = 5;

/** True when at least STREAMER_MODE_MIN_PLAYERS names are listed and every one looks generated. */
export function looksLikeStreamerMode(names: readonly string[]): boolean {
  if (names.length < STREAMER_MODE_MIN_PLAYERS) return false;
  return names.every((name) => GENERATED.test(name.normalize("NFC").trim()));
}
