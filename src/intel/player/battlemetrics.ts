// /player's BattleMetrics look-ups (optional: BATTLEMETRICS_TOKEN with a paid subscription). Each request is a
// look-up charged to the user (LookupCharge: the tier's daily quota, then a credit); without BattleMetrics, or
// with it switched off after a 403, the answer says so plainly and nothing is charged.
import type { BattleMetrics } from "../battlemetrics/index.ts";
import type { FoundPlayer } from "../battlemetrics/lookups.ts";
import { fitText } from "../../bot/fit-text.ts";
import { plain } from "../../bot/plain-text.ts";
import { UserError } from "../../errors.ts";
import type { LookupCharge } from "../types.ts";
import { parseSteamId } from "./fields.ts";
import { playerLabel, stamp } from "./describe.ts";
import { battlemetricsIdOf } from "./player-notes.ts";
import type { PlayerTarget } from "./player-target.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";

export interface PlayerBattleMetricsDeps {
  prisma: PrismaClient;
  battlemetrics: BattleMetrics;
  charge: LookupCharge;
}

/** Why BattleMetrics cannot be asked now (not configured, or switched off and why); undefined when it can. */
export async function battlemetricsUnavailable(bm: BattleMetrics): Promise<string | undefined> {
  const state = await bm.state();
  if (!state.configured) return "BattleMetrics is not set up on this bot (no BATTLEMETRICS_TOKEN)";
  if (!state.on) return `BattleMetrics is switched off on this bot (${state.reason ?? "switched off"})`;
  return undefined;
}

/** The one player BattleMetrics lists under exactly this name (as written, else ignoring case); null for none or several. */
export function sameName(found: FoundPlayer[], name: string): FoundPlayer | null {
  for (const same of [(n: string) => n === name, (n: string) => n.toLowerCase() === name.toLowerCase()]) {
    const hits = found.filter((f) => same(f.name));
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) return null;
  }
  return null;
}

/**
 * The player's Steam id from BattleMetrics, for `/player link-steam` without `steamid:`: their BattleMetrics id
 * from this team's note or their sessions (the poll's enricher records it), else a name search on the server's
 * BattleMetrics server (one charged look-up); then the player's identifiers (one more charged look-up), which
 * also binds PlayerSteamLink.
 * @throws UserError when BattleMetrics is not set up or off (nothing charged), the server was not polled yet,
 *   BattleMetrics has no (single) player of that name there, shows no Steam id, or a look-up fails.
 */
export async function steamIdFromBattleMetrics(deps: PlayerBattleMetricsDeps, target: PlayerTarget, userId: string): Promise<{ steamId: string; battlemetricsPlayerId: string; source: "battlemetrics" }> {
  const why = await battlemetricsUnavailable(deps.battlemetrics);
  if (why) throw new UserError(`${why}. Give the player's Steam id in \`steamid:\` (17 digits, 7656119…).`);
  let id = await battlemetricsIdOf(deps.prisma, target);
  if (!id) {
    if (!target.intel) throw new UserError("The bot has not queried this server yet, so it cannot look the player up on BattleMetrics. Give the Steam id in `steamid:`.");
    const found = await deps.battlemetrics.findPlayer(userId, target.intel, target.name, deps.charge);
    const match = sameName(found, target.name);
    if (!match) {
      const many = found.filter((f) => f.name.toLowerCase() === target.name.toLowerCase()).length > 1;
      throw new UserError(
        many
          ? `BattleMetrics lists several players called **${playerLabel(target.name)}** on this server. Give the Steam id in \`steamid:\`.`
          : `BattleMetrics lists no player called **${playerLabel(target.name)}** on this server. Give the Steam id in \`steamid:\` if you know it.`,
      );
    }
    id = match.battlemetricsPlayerId;
  }
  const bound = await deps.battlemetrics.bindSteamFromBattleMetrics(userId, id, deps.charge);
  return { steamId: parseSteamId(bound.steamId), battlemetricsPlayerId: id, source: "battlemetrics" };
}

/** How many BattleMetrics names /player info shows. */
const NAMES_SHOWN = 10;

/**
 * Lines for `/player info battlemetrics:true`: BattleMetrics' names history and first/last seen of the player
 * (one charged look-up) when BattleMetrics is on and the player is matched to a BattleMetrics player; else one
 * line saying why not. Never throws a UserError (a failed look-up becomes the line).
 */
export async function battlemetricsInfoLines(deps: PlayerBattleMetricsDeps, target: PlayerTarget, userId: string): Promise<string[]> {
  const why = await battlemetricsUnavailable(deps.battlemetrics);
  if (why) return [`BattleMetrics: not asked: ${why}.`];
  const id = await battlemetricsIdOf(deps.prisma, target);
  if (!id) return ["BattleMetrics: this player is not matched to a BattleMetrics player yet (the poll matches players online while BattleMetrics is on; `/player link-steam` binds one)."];
  try {
    const details = await deps.battlemetrics.playerDetails(userId, id, deps.charge);
    const lines = [`BattleMetrics player ${id}${details.steamId ? ` · Steam id ${details.steamId}` : ""}`];
    if (details.names.length) {
      const names = details.names.slice(0, NAMES_SHOWN).map((n) => `${plain(fitText(n.name, 40)) || "(blank)"}${n.lastSeen ? ` (${stamp(n.lastSeen, "d")})` : ""}`);
      lines.push(`BattleMetrics names: ${names.join(", ")}${details.names.length > NAMES_SHOWN ? ` and ${details.names.length - NAMES_SHOWN} more` : ""}`);
    }
    const seen = [details.firstSeen && `first seen ${stamp(details.firstSeen, "f")}`, details.lastSeen && `last seen ${stamp(details.lastSeen, "f")}`].filter(Boolean);
    if (seen.length) lines.push(`BattleMetrics ${seen.join(" · ")}`);
    return lines;
  } catch (error) {
    if (error instanceof UserError) return [`BattleMetrics: ${error.message}`];
    throw error;
  }
}
