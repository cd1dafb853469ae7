// What notes need from a server's live connection: its map size and its team (positions and in-game markers).
import { UserError } from "../errors.ts";
import { parseTeam, type Team } from "../ingame/team.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { RustPlusError, RustPlusUnavailable } from "../rustplus/rust-errors.ts";
import { teamMarkers, type TeamMarker } from "./team-markers.ts";

const OFFLINE = "the bot is not connected to it right now (`/server connect` connects it)";

/** The map size (metres) from the server's latest info. @throws UserError when the server is not connected. */
export function liveMapSize(rust: ConnectionManager, serverId: string, serverName: string): number {
  const size = rust.status(serverId)?.snapshot?.info.mapSize;
  if (!size) throw new UserError(`The map of **${serverName}** is unknown: ${OFFLINE}. Notes need the map to place them.`);
  return size;
}

/**
 * The team and its in-game map markers, asked of the server now.
 * @throws UserError when the server is not connected or does not answer.
 */
export async function liveTeam(rust: ConnectionManager, serverId: string, serverName: string): Promise<{ team: Team; markers: TeamMarker[] }> {
  try {
    const response = await rust.request(serverId, { getTeamInfo: {} }, "user");
    const team = parseTeam(response.teamInfo);
    if (!team) throw new UserError(`**${serverName}** sent a team the bot cannot read; try again.`);
    return { team, markers: teamMarkers(response.teamInfo) };
  } catch (err) {
    if (err instanceof RustPlusUnavailable) throw new UserError(`The team on **${serverName}** is unknown: ${OFFLINE}.`);
    if (err instanceof RustPlusError) throw new UserError(`**${serverName}** refused to tell its team (${err.code}); try again in a moment.`);
    throw err;
  }
}
