// What a map image shows besides its base: the server's live state and the team's notes, already read and checked.
import type { MapNote } from "../generated/prisma/client.ts";
import type { TeamMarker } from "../notes/team-markers.ts";
import type { MapMarker, Monument, TeamMember } from "../events/schemas.ts";

export interface MarkerWithHeading extends MapMarker {
  /** Degrees as Rust+ reports them, when it does. */
  rotation?: number | undefined;
  /** Vending machines: whether nothing is in stock. */
  outOfStock?: boolean | undefined;
}

export interface MapContent {
  monuments: readonly Monument[];
  /** Null when the team could not be read (the server is not connected). */
  team: readonly TeamMember[] | null;
  notes: readonly Pick<MapNote, "category" | "x" | "y" | "label" | "emoji" | "color" | "createdAt">[];
  /** The team's own in-game map markers (Rust+ teamInfo.mapNotes: type 0 a death, 1 a marker), read-only. */
  gameNotes: readonly TeamMarker[];
  /** Null when the markers could not be read. */
  markers: readonly MarkerWithHeading[] | null;
  /** For death markers' times: the reader's clock (ms). */
  now: number;
}
