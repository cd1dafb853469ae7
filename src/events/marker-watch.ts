// Whether a server reports each watched marker kind, from successive getMapMarkers answers. Pure: markers and
// times in, kinds seen and kinds silent for long enough out. Time is counted only while a connection is polling
// (gaps between sessions and stalls are not), and it adds up over the reconnects of one process.
import type { MapMarker } from "./schemas.ts";
import { kindOfMarkerType, WATCHED_KIND_LIST, type WatchedKind } from "./watched-kinds.ts";

const HOUR = 3_600_000;

/**
 * Polling time without a marker of the kind after which the server is taken not to report it (ms). On a vanilla
 * server the cargo ship comes about every 2 hours (issue 11) and stays about 50 minutes (research/rustplus.md), the
 * patrol helicopter and the Chinook on similar schedules: 6 hours is three cycles. No public figure was found for the
 * travelling vendor's schedule: 8 hours, to be safe. A server whose admin made an event rarer than that, or switched
 * it off, is told the same (true enough: nothing shows up on Rust+); the first sighting takes it back, once.
 */
export const SILENT_AFTER_MS: Record<Exclude<WatchedKind, "vending">, number> = { cargo: 6 * HOUR, heli: 6 * HOUR, ch47: 6 * HOUR, vendor: 8 * HOUR };

/**
 * Vending machines: Outpost and Bandit Camp always have theirs (NPC shops, listed by Rust+ like players' machines),
 * so on a map with either, this many polls over at least this long with none at all is enough. On a map without
 * them, players may simply have built none, and vending machines are never judged.
 */
export const VENDING_SILENT_AFTER = { polls: 5, ms: 60_000 };

/**
 * A monument with NPC vending machines, by the token getMap gives (outpost, bandit_camp; any spelling with the
 * words) — not the Mining Outpost (mining_outpost_display_name), a small roadside monument without shops.
 */
export const isNpcVendingMonument = (token: string): boolean => /outpost|bandit/i.test(token) && !/mining/i.test(token);

/** The map has a monument with NPC vending machines (isNpcVendingMonument). */
export const hasNpcVending = (tokens: readonly string[]): boolean => tokens.some(isNpcVendingMonument);

export interface Coverage {
  /** Kinds with a marker in this answer. */
  seen: WatchedKind[];
  /** Kinds absent for the whole time above (each answer while they stay absent). */
  silent: WatchedKind[];
}

export class MarkerWatch {
  /** Polling time (ms) and answers since each kind was last seen. */
  readonly #unseen = new Map<WatchedKind, { ms: number; polls: number }>();
  #last: { session: object; at: number } | undefined;

  /** `pollEveryMs`: the usual time between answers; a longer gap (the bot stalled, rate limits) counts as twice that. */
  constructor(private readonly pollEveryMs: number) {}

  /**
   * One answer of a session (any object that stays the same for one connection's polls). `now` in ms;
   * `npcVending`: the map has Outpost or Bandit Camp (see hasNpcVending).
   */
  observe(session: object, markers: readonly MapMarker[], now: number, npcVending: boolean): Coverage {
    const last = this.#last;
    const elapsed = last?.session === session ? Math.min(Math.max(0, now - last.at), 2 * this.pollEveryMs) : 0;
    this.#last = { session, at: now };
    const present = new Set(markers.flatMap((m) => kindOfMarkerType(m.type) ?? []));
    const coverage: Coverage = { seen: [], silent: [] };
    for (const kind of WATCHED_KIND_LIST) {
      if (present.has(kind)) {
        this.#unseen.delete(kind);
        coverage.seen.push(kind);
        continue;
      }
      const unseen = this.#unseen.get(kind) ?? { ms: 0, polls: 0 };
      unseen.ms += elapsed;
      unseen.polls += 1;
      this.#unseen.set(kind, unseen);
      if (kind === "vending" ? npcVending && unseen.polls >= VENDING_SILENT_AFTER.polls && unseen.ms >= VENDING_SILENT_AFTER.ms : unseen.ms >= SILENT_AFTER_MS[kind]) {
        coverage.silent.push(kind);
      }
    }
    return coverage;
  }
}
