// Rust servers with `server.censorplayerlist` (on by default) hand Steam's player list a random name per
// connection instead of the real one: `RandomUsernames.Get(userid + Random.Range(0, 100000))` in the server's
// auth code (seen in public Harmony patches of ConnectionAuth). Facepunch's list behind it is plain first names,
// lower case ("james", "mary", … "ai", "adah"): rustplusplus ships a copy (src/staticFiles/RandomUsernames.json)
// for the same names in the client's streamer mode. Real player lists almost always hold a digit, a clan tag, a
// symbol, a capital inside a word or a non-Latin letter somewhere. The detector goes by that shape, not by the
// list (not ours to copy), and accepts variants: capitalised, or two or three such words joined.

/** One to three plain Latin words (the first letter of each may be a capital), joined by nothing, a space, `_` or `-`. */
const GENERATED = /^[A-Za-z][a-z]{1,19}(?:[ _-]?[A-Z]?[a-z]{1,19}){0,2}$/;

/**
 * Fewer named players than this say nothing: a small server's friends may all be called Alice, Bob, Dave …
 * (five or nine such real names are common enough; ten plain words and nothing else is a streamer-mode list).
 */
export const STREAMER_MODE_MIN_PLAYERS = 10;

/** True when at least STREAMER_MODE_MIN_PLAYERS names are listed and every one looks generated. */
export function looksLikeStreamerMode(names: readonly string[]): boolean {
  if (names.length < STREAMER_MODE_MIN_PLAYERS) return false;
  return names.every((name) => GENERATED.test(name.normalize("NFC").trim()));
}
