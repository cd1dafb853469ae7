// Where a note goes, as a user writes it: a grid label (`G12`, the cell's centre, by the one grid module),
// `x,y` in metres, `me`, or a teammate (`@mention` or their in-game name) from the live team state.
import { headOf } from "../bot/fit-text.ts";
import { cellCentre, columnName, gridFor } from "../events/grid.ts";
import { UserError } from "../errors.ts";
import { displayName, type Team, type TeamMember } from "../ingame/team.ts";

export type PositionInput =
  | { kind: "grid"; label: string }
  | { kind: "xy"; x: number; y: number }
  | { kind: "me" }
  | { kind: "member"; discordId: string }
  | { kind: "member"; name: string };

const MENTION = /^<@!?(\d{17,20})>$/;
const XY = /^(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)$/;
const GRID = /^[A-Za-z]{1,3}\d{1,3}$/;

/** Reads the shape of a position. @throws UserError when it is empty or too long to be any of them. */
export function parsePosition(input: string): PositionInput {
  const text = input.trim();
  if (!text || text.length > 64) throw new UserError("`position` is a grid cell like `G12`, metres like `1500,2100`, `me`, or a teammate (@mention or in-game name).");
  if (text.toLowerCase() === "me") return { kind: "me" };
  const mention = MENTION.exec(text);
  if (mention?.[1]) return { kind: "member", discordId: mention[1] };
  const xy = XY.exec(text);
  if (xy?.[1] && xy[2]) return { kind: "xy", x: Number(xy[1]), y: Number(xy[2]) };
  if (GRID.test(text)) return { kind: "grid", label: text.toUpperCase() };
  return { kind: "member", name: text.replace(/^@/, "") };
}

/** "ZZ99 is not a cell of this map: its grid runs A0 … T19 (3000 m)." (for a map size gridFor accepts). */
export function notACell(label: string, mapSize: number): string {
  const count = gridFor(mapSize)?.count ?? 1;
  return `${label.toUpperCase()} is not a cell of this map: its grid runs A0 … ${columnName(count - 1)}${count - 1} (${mapSize} m).`;
}

export interface PositionContext {
  /** The map's size in metres (from the server's info). */
  mapSize: number;
  /** Steam id of who asks (for `me`). */
  callerSteamId: string;
  /** The team as the server reports it now (only asked for `me` and teammates). */
  team(): Promise<Team>;
  /** The Steam id linked to a Discord user, if any. */
  steamIdOfDiscord(discordId: string): Promise<string | null>;
}

/**
 * The world position (metres, x east, y north) of a parsed position on this map.
 * @throws UserError for a cell the map does not have, a position off the map, a player not in the team, or a
 *   teammate the server gives no position for.
 */
export async function resolvePosition(input: PositionInput, ctx: PositionContext): Promise<{ x: number; y: number }> {
  const grid = gridFor(ctx.mapSize);
  if (!grid) throw new UserError("The server has not said how big its map is yet; try again once it is connected.");
  switch (input.kind) {
    case "grid": {
      const centre = cellCentre(input.label, ctx.mapSize);
      if (!centre) throw new UserError(notACell(input.label, ctx.mapSize));
      return centre;
    }
    case "xy":
      if (input.x < 0 || input.y < 0 || input.x > ctx.mapSize || input.y > ctx.mapSize) {
        throw new UserError(`${input.x},${input.y} is off the map: x and y run 0 … ${ctx.mapSize} metres (x east, y north).`);
      }
      return { x: input.x, y: input.y };
    case "me":
      return placed(await member(ctx, ctx.callerSteamId, "You are"), ctx.mapSize);
    case "member": {
      if ("discordId" in input) {
        const steamId = await ctx.steamIdOfDiscord(input.discordId);
        if (!steamId) throw new UserError("That Discord user has not linked a Steam account (`/link`), so their place in the team is unknown. Use their in-game name instead.");
        return placed(await member(ctx, steamId, "They are"), ctx.mapSize);
      }
      return placed(byName((await ctx.team()).members, input.name), ctx.mapSize);
    }
  }
}

async function member(ctx: PositionContext, steamId: string, subject: string): Promise<TeamMember> {
  const found = (await ctx.team()).members.find((m) => m.steamId === steamId);
  if (!found) throw new UserError(`${subject} not in this server's team, so there is no position to use. Give a grid cell like \`G12\` instead.`);
  return found;
}

/** A teammate by in-game name: exactly (any case), else the only one whose name starts with it. */
function byName(members: readonly TeamMember[], name: string): TeamMember {
  const wanted = name.toLowerCase();
  const exact = members.filter((m) => m.name.toLowerCase() === wanted);
  const matches = exact.length ? exact : members.filter((m) => m.name.toLowerCase().startsWith(wanted));
  if (matches.length === 1) return matches[0]!;
  if (!matches.length) throw new UserError(`No one called "${headOf(name, 32)}" is in this server's team. Teammates: ${members.map(displayName).join(", ") || "none"}.`);
  throw new UserError(`"${headOf(name, 32)}" could be ${matches.map(displayName).join(", ")}: give more of the name.`);
}

/** The server reports (0, 0) for a member it has no position for (offline a long time, never spawned). */
function placed(m: TeamMember, mapSize: number): { x: number; y: number } {
  if (m.x === 0 && m.y === 0) throw new UserError(`The server gives no position for ${displayName(m)}${m.isOnline ? "" : " (offline)"}. Give a grid cell like \`G12\` instead.`);
  if (m.x < 0 || m.y < 0 || m.x > mapSize || m.y > mapSize) throw new UserError(`${displayName(m)} is off the map (at sea), so a note there would not show. Give a grid cell instead.`);
  return { x: m.x, y: m.y };
}
