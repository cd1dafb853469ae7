// Where a position is, as players say it in team chat: its grid cell and the monument it is near.
import { atPlace, placeOf } from "../events/monuments.ts";
import type { CommandServer } from "./registry.ts";

/** " at G12 near Outpost", " at G12", or "" when the map size is unknown or the position is off the grid. */
export function atGrid(x: number, y: number, server: Pick<CommandServer, "mapSize" | "monuments">): string {
  const place = placeOf(x, y, server.mapSize, server.monuments);
  return place.grid ? atPlace(place) : "";
}
