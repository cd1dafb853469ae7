// Which BattleMetrics server a polled Rust server is. BattleMetrics has no address filter, but its server search
// matches IPs, so we search for the IP and compare ports (as public BattleMetrics lookups do: a search for the
// IP, then the game port or query port, and the name only to confirm or break a tie). BattleMetrics lists `port`
// (the game port) and `portQuery` (the Steam query port) — hizenxyz/battlemetrics-client test fixtures.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { Timers } from "../../rustplus/timers.ts";
import type { PolledServer } from "../types.ts";
import type { BattleMetricsClient, Priority } from "./client.ts";
import { serverList, type ServerResource } from "./schemas.ts";

/** A server not found is searched for again after this long (ms). */
export const MISS_RETRY_MS = 24 * 3_600_000;
/** Rust's default app.port is the game port + 67 (28015 → 28082; Facepunch's Rust+ server setup). */
const APP_PORT_OFFSET = 67;

const sameName = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The best candidate for `server` among BattleMetrics servers on its IP, or undefined when none fits or two fit
 * equally and the name does not decide. Query port first (the port we poll), then the game port as the query
 * port (Rust answers A2S on its game port by default), then the game port implied by the app port; a candidate
 * that matches no port is taken only when it is the one server on the IP and its name is the same.
 */
export function pickServer(candidates: readonly ServerResource[], server: Pick<PolledServer, "ip" | "appPort" | "queryPort" | "name">): ServerResource | undefined {
  const onIp = candidates.filter((c) => c.attributes.ip === server.ip);
  const score = (c: ServerResource): number => {
    const { port, portQuery } = c.attributes;
    if (server.queryPort !== null && portQuery === server.queryPort) return 3;
    if (server.queryPort !== null && port === server.queryPort) return 2;
    if (port === server.appPort - APP_PORT_OFFSET) return 1;
    return 0;
  };
  const best = Math.max(0, ...onIp.map(score));
  if (best === 0) {
    const [only] = onIp;
    return onIp.length === 1 && only && sameName(only.attributes.name, server.name) ? only : undefined;
  }
  const top = onIp.filter((c) => score(c) === best);
  if (top.length === 1) return top[0];
  const named = top.filter((c) => sameName(c.attributes.name, server.name));
  return named.length === 1 ? named[0] : undefined;
}

export class ServerMatcher {
  /** IntelServer id → when it was last not found (this process; retried a day later). */
  readonly #misses = new Map<string, number>();
  readonly #inFlight = new Map<string, Promise<string | null>>();

  constructor(
    private readonly client: BattleMetricsClient,
    private readonly prisma: PrismaClient,
    private readonly timers: Timers,
  ) {}

  /**
   * The BattleMetrics server id of `server`: its cached id, or a search (IP, then name) whose answer is stored in
   * IntelServer.battlemetricsServerId. Null when not found (not searched again for a day). Throws BattleMetricsError.
   */
  async serverIdOf(server: PolledServer, priority: Priority): Promise<string | null> {
    if (server.battlemetricsServerId) return server.battlemetricsServerId;
    const missedAt = this.#misses.get(server.id);
    if (missedAt !== undefined && this.timers.now() - missedAt < MISS_RETRY_MS) return null;
    let running = this.#inFlight.get(server.id);
    if (!running) {
      running = this.#search(server, priority).finally(() => this.#inFlight.delete(server.id));
      this.#inFlight.set(server.id, running);
    }
    return running;
  }

  async #search(server: PolledServer, priority: Priority): Promise<string | null> {
    const search = async (term: string, pages: number) =>
      (await this.client.pages("servers", { "filter[search]": term, "filter[game]": "rust", "page[size]": "100" }, serverList, priority, pages)).flatMap((p) => p.data);
    let found = pickServer(await search(server.ip, 2), server);
    if (!found && server.name) found = pickServer(await search(server.name, 1), server);
    if (!found) {
      this.#misses.set(server.id, this.timers.now());
      return null;
    }
    this.#misses.delete(server.id);
    await this.prisma.intelServer.updateMany({ where: { id: server.id }, data: { battlemetricsServerId: found.id } });
    return found.id;
  }
}
