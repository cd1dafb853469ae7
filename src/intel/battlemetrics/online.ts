// Who BattleMetrics says is online on a server (GET /servers/{id}?include=player: players in `included[]`),
// kept a few minutes per server so 500 followed servers cost about 100 requests a minute, inside the budget.
import type { Timers } from "../../rustplus/timers.ts";
import type { BattleMetricsClient, Priority } from "./client.ts";
import { BattleMetricsError } from "./errors.ts";
import { includedOf, playerResource, serverWithPlayers } from "./schemas.ts";

export const ONLINE_CACHE_MS = 5 * 60_000;

export interface OnlinePlayer {
  battlemetricsPlayerId: string;
  name: string;
}

export class OnlineLists {
  readonly #cache = new Map<string, { at: number; players: OnlinePlayer[] }>();
  readonly #inFlight = new Map<string, Promise<OnlinePlayer[]>>();

  constructor(
    private readonly client: BattleMetricsClient,
    private readonly timers: Timers,
  ) {}

  /** The online list of BattleMetrics server `serverId`, from the cache when fresh. Throws BattleMetricsError. */
  async of(serverId: string, priority: Priority): Promise<OnlinePlayer[]> {
    const cached = this.#cache.get(serverId);
    if (cached && this.timers.now() - cached.at < ONLINE_CACHE_MS) return cached.players;
    let running = this.#inFlight.get(serverId);
    if (!running) {
      running = this.#fetch(serverId, priority).finally(() => this.#inFlight.delete(serverId));
      this.#inFlight.set(serverId, running);
    }
    return running;
  }

  async #fetch(serverId: string, priority: Priority): Promise<OnlinePlayer[]> {
    const doc = await this.client.get(`servers/${serverId}`, { include: "player" }, serverWithPlayers, priority);
    const players = includedOf(doc.included, "player", playerResource);
    if (!players) throw new BattleMetricsError("malformed", "BattleMetrics listed a player in a shape we do not know");
    const list = players.map((p) => ({ battlemetricsPlayerId: p.id, name: p.attributes.name.trim() })).filter((p) => p.name.length > 0);
    this.#cache.set(serverId, { at: this.timers.now(), players: list });
    // Servers nobody polls any more should not stay in memory for ever.
    for (const [id, entry] of this.#cache) if (this.timers.now() - entry.at >= ONLINE_CACHE_MS) this.#cache.delete(id);
    return list;
  }
}
