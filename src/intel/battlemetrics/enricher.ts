// The PlayerEnricher the shared poll calls (types.ts): BattleMetrics ids (and Steam ids from PlayerSteamLink) on
// the names A2S listed, and BattleMetrics' list when A2S did not answer. Background work: it never waits for the
// request budget and never throws; when BattleMetrics is off, unconfigured, busy or does not know the server, the
// list goes back as it came.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "../../logger.ts";
import type { ListedPlayer, PlayerEnricher, PolledServer } from "../types.ts";
import { BattleMetricsError } from "./errors.ts";
import type { OnlinePlayer } from "./online.ts";

export interface OnlineSource {
  /** BattleMetrics' online list for a polled server; undefined when it cannot give one now. */
  onlineOf(server: PolledServer): Promise<OnlinePlayer[] | undefined>;
}

export class BattleMetricsEnricher implements PlayerEnricher {
  constructor(
    private readonly source: OnlineSource,
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {}

  async enrich(server: PolledServer, listed: ListedPlayer[]): Promise<ListedPlayer[]> {
    try {
      const online = await this.source.onlineOf(server);
      if (!online || listed.length === 0) return listed;
      // A name two BattleMetrics players share right now names neither.
      const byName = new Map<string, OnlinePlayer | null>();
      for (const p of online) byName.set(p.name, byName.has(p.name) ? null : p);
      const steam = await this.#steamIds(online.map((p) => p.battlemetricsPlayerId));
      return listed.map((p) => {
        const match = byName.get(p.name.trim());
        if (!match) return p;
        const steamId = p.steamId ?? steam.get(match.battlemetricsPlayerId);
        return { ...p, battlemetricsPlayerId: match.battlemetricsPlayerId, ...(steamId && { steamId }) };
      });
    } catch (err) {
      this.#log(err, server, "enriching a poll");
      return listed;
    }
  }

  async fallbackList(server: PolledServer): Promise<ListedPlayer[] | undefined> {
    try {
      const online = await this.source.onlineOf(server);
      if (!online) return undefined;
      const steam = await this.#steamIds(online.map((p) => p.battlemetricsPlayerId));
      return online.map((p) => {
        const steamId = steam.get(p.battlemetricsPlayerId);
        return { name: p.name, battlemetricsPlayerId: p.battlemetricsPlayerId, ...(steamId && { steamId }) };
      });
    } catch (err) {
      this.#log(err, server, "the fallback list");
      return undefined;
    }
  }

  async #steamIds(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const links = await this.prisma.playerSteamLink.findMany({ where: { battlemetricsPlayerId: { in: ids } }, select: { battlemetricsPlayerId: true, steamId: true } });
    return new Map(links.map((l) => [l.battlemetricsPlayerId, l.steamId]));
  }

  #log(err: unknown, server: PolledServer, what: string): void {
    // Budget and switched-off are expected states, not failures.
    if (err instanceof BattleMetricsError && (err.kind === "budget" || err.kind === "switched-off")) return;
    this.logger.warn({ err, intelServerId: server.id }, `BattleMetrics skipped for ${what}; the list stays as A2S gave it`);
  }
}
