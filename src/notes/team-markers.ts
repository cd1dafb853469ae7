// The team's own in-game map notes from getTeamInfo (research/rustplus.md: Rust+ can only read them; `mapNotes`
// type 0 = the paired player's last death, type 1 = markers placed on the map; `leaderMapNotes` the leader's).
// Read-only: listed by /note list and drawn on the map, never stored.
import { z } from "zod";
import { coordinate } from "../rustplus/responses.ts";

export interface TeamMarker {
  kind: "marker" | "last-death" | "leader-marker";
  x: number;
  y: number;
}

// Servers leave fields at their default off the wire (proto3-style, since March 2025): an absent type is 0.
const note = z.object({ type: z.number().int().optional().default(0), x: coordinate, y: coordinate });

/** The valid notes of a raw teamInfo (anything unreadable is left out). */
export function teamMarkers(teamInfo: unknown): TeamMarker[] {
  if (typeof teamInfo !== "object" || teamInfo === null) return [];
  const { mapNotes, leaderMapNotes } = teamInfo as { mapNotes?: unknown; leaderMapNotes?: unknown };
  const read = (list: unknown, leader: boolean): TeamMarker[] =>
    (Array.isArray(list) ? list : []).flatMap((raw) => {
      const parsed = note.safeParse(raw);
      if (!parsed.success || (parsed.data.type !== 0 && parsed.data.type !== 1)) return [];
      const kind = leader ? "leader-marker" : parsed.data.type === 0 ? "last-death" : "marker";
      return leader && parsed.data.type === 0 ? [] : [{ kind, x: parsed.data.x, y: parsed.data.y }];
    });
  return [...read(mapNotes, false), ...read(leaderMapNotes, true)];
}
