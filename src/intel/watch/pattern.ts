// Watchlist name patterns: regular expressions run on every poll against every player who comes or goes, so
// they run on RE2 (re2js, a pure-JavaScript port of Google's RE2): matching takes time linear in the name
// whatever the pattern, so no pattern can backtrack catastrophically (`(a+)+$` is harmless). RE2 has no
// backreferences or lookaround; such a pattern is refused with the engine's own message.
import { RE2JS } from "re2js";
import { UserError } from "../../errors.ts";

/** A pattern's longest form (UTF-16 units). */
export const PATTERN_MAX = 100;

export type NameMatcher = (name: string) => boolean;

/**
 * Compiles a name pattern, case-insensitive (players type clan tags in any case; `(?-i)` turns that off).
 * @throws UserError for a pattern over PATTERN_MAX characters, or one RE2 cannot parse (its message quoted).
 */
export function compilePattern(pattern: string): NameMatcher {
  if (pattern.length > PATTERN_MAX) throw new UserError(`A name pattern is at most ${PATTERN_MAX} characters (yours has ${pattern.length}).`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UserError(`\`pattern\` is not a regular expression this bot can run (RE2 syntax, no lookaround or backreferences): ${message.replace(/`/g, "'")}`);
  }
  return (name) => re.test(name);
}
