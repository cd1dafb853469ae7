// A watchlist's filter, as stored in Watchlist.filter (JSON): checked with zod when written and again when
// read, so a row changed by hand or by an older version is skipped (and logged) rather than crashing a poll.
// A player matches when every criterion given holds: any one of `tags` on their note, their note tracked
// (`trackedOnly`), their listed name matching `pattern` (noted or not).
import { z } from "zod";
import { PATTERN_MAX, compilePattern, type NameMatcher } from "./pattern.ts";

export const TAG_MAX = 32;
export const TAGS_MAX = 10;

/** Tags as notes keep them: trimmed, lower-case, one word-ish each. */
export const tagSchema = z.string().trim().toLowerCase().min(1).max(TAG_MAX).regex(/^[^\s,]+$/, "a tag is one word");

export const watchFilter = z
  .object({
    tags: z.array(tagSchema).max(TAGS_MAX).optional(),
    pattern: z.string().min(1).max(PATTERN_MAX).optional(),
    trackedOnly: z.boolean().optional(),
    /** A Discord role mentioned with this watchlist's alerts. */
    mentionRoleId: z.string().regex(/^\d{17,20}$/).optional(),
  })
  .refine((f) => (f.tags?.length ?? 0) > 0 || f.pattern !== undefined || f.trackedOnly === true, "a watchlist needs tags, a name pattern or tracked-only");

export type WatchFilter = z.infer<typeof watchFilter>;

/** A watchlist ready to match: its filter parsed and its pattern compiled. */
export interface CompiledWatchlist {
  id: string;
  name: string;
  /** The paired server it is limited to; null for every server of its owner. */
  pairedServerId: string | null;
  tags: ReadonlySet<string> | null;
  trackedOnly: boolean;
  pattern: NameMatcher | null;
  mentionRoleId: string | undefined;
}

/** The note fields matching reads. */
export interface NoteView {
  id: string;
  steamId: string | null;
  playerName: string;
  /** Lower-case. */
  tags: readonly string[];
  tracked: boolean;
}

/**
 * A stored watchlist compiled, or the reason it cannot be (bad JSON shape, a pattern RE2 refuses): the caller
 * logs it and goes on without it.
 */
export function compileWatchlist(row: { id: string; name: string; pairedServerId: string | null; filter: unknown }): CompiledWatchlist | { invalid: string } {
  const parsed = watchFilter.safeParse(row.filter);
  if (!parsed.success) return { invalid: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const f = parsed.data;
  let pattern: NameMatcher | null = null;
  try {
    if (f.pattern !== undefined) pattern = compilePattern(f.pattern);
  } catch (err) {
    return { invalid: err instanceof Error ? err.message : String(err) };
  }
  return {
    id: row.id,
    name: row.name,
    pairedServerId: row.pairedServerId,
    tags: f.tags?.length ? new Set(f.tags) : null,
    trackedOnly: f.trackedOnly === true,
    pattern,
    mentionRoleId: f.mentionRoleId,
  };
}

/** Whether a player (their note if any, and the name they are listed under) matches the watchlist. */
export function matchesWatchlist(w: CompiledWatchlist, note: NoteView | undefined, name: string, options: { namesReliable: boolean }): boolean {
  if (w.tags && !note?.tags.some((t) => w.tags!.has(t))) return false;
  if (w.trackedOnly && !note?.tracked) return false;
  // Streamer-mode names are random: a pattern over them would match strangers.
  if (w.pattern && (!options.namesReliable || !w.pattern(name))) return false;
  return true;
}

/** How a filter reads back to its owner: "tags raider, clan · pattern ^\[ABC\] · tracked only". */
export function describeFilter(f: WatchFilter): string {
  const parts = [
    f.tags?.length ? `tags ${f.tags.join(", ")}` : "",
    f.pattern !== undefined ? `name pattern \`${f.pattern.replace(/`/g, "'")}\`` : "",
    f.trackedOnly ? "tracked only" : "",
    f.mentionRoleId ? `mentions <@&${f.mentionRoleId}>` : "",
  ];
  return parts.filter(Boolean).join(" · ");
}
