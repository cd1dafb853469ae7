// Look-ups for commands (/player): each takes a LookupCharge and charges it before any request leaves (a charge
// that fails sends nothing). Failures come back as UserErrors the command can show as they are. A look-up that
// BattleMetrics fails (switched off mid-call, timeout, 5xx, 429, network, an unreadable answer) is given back;
// an answer ("not found", no Steam id shown, server not listed) is kept.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { UserError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { LookupCharge, LookupRefund, PolledServer } from "../types.ts";
import type { BattleMetricsClient } from "./client.ts";
import { BattleMetricsError } from "./errors.ts";
import type { ServerMatcher } from "./matching.ts";
import { identifierResource, includedOf, playerList, playerWithIdentifiers, quickMatch, sessionList } from "./schemas.ts";

const PLAYER_ID = /^\d{1,12}$/;
const STEAM_ID = /^7656\d{13}$/;
const MAX_NAME = 64;

export interface FoundPlayer {
  battlemetricsPlayerId: string;
  name: string;
}

export interface PlayerDetails {
  battlemetricsPlayerId: string;
  name: string;
  /** When BattleMetrics first saw the player (anywhere). */
  firstSeen?: Date;
  lastSeen?: Date;
  /** Names the player used, most recent first (identifiers of type "name"). */
  names: { name: string; lastSeen?: Date }[];
  /** From an identifier of type "steamID": visible only to tokens with permission on the player's servers. */
  steamId?: string;
}

export interface PlayerSession {
  start: Date;
  /** Null while the session is open. */
  stop: Date | null;
  name?: string;
}

/** The gate every look-up passes first: throws a UserError when BattleMetrics is off or not configured. */
export type Usable = () => Promise<void>;

export class Lookups {
  constructor(
    private readonly client: BattleMetricsClient,
    private readonly matcher: ServerMatcher,
    private readonly prisma: PrismaClient,
    private readonly usable: Usable,
    private readonly logger?: Logger,
  ) {}

  /** Players on `server` whose names match `name` (up to 10). One look-up charged. Throws UserError. */
  async findPlayer(userId: string, server: PolledServer, name: string, charge: LookupCharge): Promise<FoundPlayer[]> {
    const term = name.trim();
    if (term.length === 0 || term.length > MAX_NAME) throw new UserError(`Give a player name of 1 to ${MAX_NAME} characters.`);
    await this.usable();
    const refund = await charge(userId, `battlemetrics:find:${server.id}`);
    return this.#explained(refund, async () => {
      const serverId = await this.matcher.serverIdOf(server, "user");
      if (!serverId) throw new UserError("BattleMetrics does not list this server (searched by its IP and ports, then its name).");
      const [page] = await this.client.pages("players", { "filter[search]": term, "filter[servers]": serverId, "page[size]": "10" }, playerList, "user", 1);
      return (page?.data ?? []).map((p) => ({ battlemetricsPlayerId: p.id, name: p.attributes.name }));
    });
  }

  /** A player's names, first and last seen and (where visible) Steam id. One look-up charged. Throws UserError. */
  async playerDetails(userId: string, battlemetricsPlayerId: string, charge: LookupCharge): Promise<PlayerDetails> {
    checkPlayerId(battlemetricsPlayerId);
    await this.usable();
    const refund = await charge(userId, `battlemetrics:player:${battlemetricsPlayerId}`);
    return this.#explained(refund, () => this.#details(battlemetricsPlayerId));
  }

  /** The player's latest sessions (at most `limit`, 1-100), newest first. One look-up charged. Throws UserError. */
  async playerSessions(userId: string, battlemetricsPlayerId: string, charge: LookupCharge, limit = 20): Promise<PlayerSession[]> {
    checkPlayerId(battlemetricsPlayerId);
    const size = Math.min(100, Math.max(1, Math.floor(limit)));
    await this.usable();
    const refund = await charge(userId, `battlemetrics:sessions:${battlemetricsPlayerId}`);
    return this.#explained(refund, async () => {
      const [page] = await this.client.pages(`players/${battlemetricsPlayerId}/relationships/sessions`, { "page[size]": String(size) }, sessionList, "user", 1);
      return (page?.data ?? []).map((s) => ({
        start: new Date(s.attributes.start),
        stop: s.attributes.stop ? new Date(s.attributes.stop) : null,
        ...(s.attributes.name && { name: s.attributes.name }),
      }));
    });
  }

  /**
   * Binds a BattleMetrics player to the Steam id BattleMetrics shows for them (PlayerSteamLink, source
   * "battlemetrics"). One look-up charged. Throws UserError when BattleMetrics shows none.
   */
  async bindSteamFromBattleMetrics(userId: string, battlemetricsPlayerId: string, charge: LookupCharge): Promise<{ steamId: string; name: string }> {
    const details = await this.playerDetails(userId, battlemetricsPlayerId, charge);
    if (!details.steamId) {
      throw new UserError("BattleMetrics does not show this player's Steam id to this bot's token (it needs permission on a server they played on). Link it by hand with the Steam id.");
    }
    await this.#link(battlemetricsPlayerId, details.steamId);
    return { steamId: details.steamId, name: details.name };
  }

  /** The BattleMetrics player with this Steam id (POST /players/quick-match), bound in PlayerSteamLink. One look-up charged. */
  async playerFromSteamId(userId: string, steamId: string, charge: LookupCharge): Promise<string> {
    if (!STEAM_ID.test(steamId)) throw new UserError("That is not a Steam id: it is 17 digits starting 7656.");
    await this.usable();
    const refund = await charge(userId, `battlemetrics:steam:${steamId}`);
    const id = await this.#explained(refund, async () => {
      const doc = await this.client.post("players/quick-match", { data: [{ type: "identifier", attributes: { type: "steamID", identifier: steamId } }] }, quickMatch, "user");
      return doc.data.find((d) => d.attributes.type === "steamID" && d.attributes.identifier === steamId)?.relationships?.player?.data.id;
    });
    if (!id) throw new UserError("BattleMetrics knows no player with that Steam id (or does not show it to this bot's token).");
    await this.#link(id, steamId);
    return id;
  }

  /**
   * Runs `fn`, turning BattleMetricsErrors into UserErrors worded for whoever ran the command; gives the look-up
   * back when BattleMetrics failed (any BattleMetricsError but "not found") or something unexpected did. A
   * refund that fails is logged; the user still gets the look-up's error.
   */
  async #explained<T>(refund: LookupRefund, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const failed = error instanceof BattleMetricsError ? error.kind !== "not-found" : !(error instanceof UserError);
      if (failed) await refund().catch((err: unknown) => this.logger?.error({ err }, "giving back a failed BattleMetrics look-up failed"));
      if (!(error instanceof BattleMetricsError)) throw error;
      throw new UserError(userMessage(error));
    }
  }

  async #details(id: string): Promise<PlayerDetails> {
    const doc = await this.client.get(`players/${id}`, { include: "identifier" }, playerWithIdentifiers, "user");
    const identifiers = includedOf(doc.included, "identifier", identifierResource);
    if (!identifiers) throw new BattleMetricsError("malformed", "BattleMetrics listed an identifier in a shape we do not know");
    const date = (s: string | null | undefined) => (s ? new Date(s) : undefined);
    const names = identifiers
      .filter((i) => i.attributes.type === "name" && i.attributes.identifier.trim())
      .map((i) => ({ name: i.attributes.identifier.trim(), lastSeen: date(i.attributes.lastSeen) }))
      .sort((a, b) => (b.lastSeen?.getTime() ?? 0) - (a.lastSeen?.getTime() ?? 0))
      .map((n) => ({ name: n.name, ...(n.lastSeen && { lastSeen: n.lastSeen }) }));
    const steamId = identifiers.find((i) => i.attributes.type === "steamID" && STEAM_ID.test(i.attributes.identifier))?.attributes.identifier;
    const seen = identifiers.map((i) => date(i.attributes.lastSeen)?.getTime() ?? 0);
    const lastSeen = Math.max(0, ...seen, date(doc.data.attributes.updatedAt)?.getTime() ?? 0);
    const firstSeen = date(doc.data.attributes.createdAt);
    return {
      battlemetricsPlayerId: doc.data.id,
      name: doc.data.attributes.name,
      names,
      ...(firstSeen && { firstSeen }),
      ...(lastSeen > 0 && { lastSeen: new Date(lastSeen) }),
      ...(steamId && { steamId }),
    };
  }

  async #link(battlemetricsPlayerId: string, steamId: string): Promise<void> {
    await this.prisma.playerSteamLink.upsert({
      where: { battlemetricsPlayerId },
      create: { battlemetricsPlayerId, steamId, source: "battlemetrics" },
      update: { steamId, source: "battlemetrics" },
    });
  }
}

function checkPlayerId(id: string): void {
  if (!PLAYER_ID.test(id)) throw new UserError("That is not a BattleMetrics player id (digits, from the player's BattleMetrics page).");
}

export function userMessage(error: BattleMetricsError): string {
  switch (error.kind) {
    case "unauthorized":
    case "switched-off":
      return `BattleMetrics is switched off: ${error.message}. Player intel continues from the server's own query.`;
    case "forbidden":
      return error.status === 403 && /subscription/i.test(error.message) ? `BattleMetrics is switched off: ${error.message}.` : "BattleMetrics does not show that to this bot's token.";
    case "not-found":
      return "BattleMetrics does not know that player.";
    case "rate-limited":
    case "budget":
      return "BattleMetrics is busy (rate limit); try again in a minute.";
    case "timeout":
    case "network":
    case "server":
      return `BattleMetrics is not answering properly right now (${error.message}); try again later.`;
    default:
      return "BattleMetrics gave an answer the bot could not read; try again later.";
  }
}
