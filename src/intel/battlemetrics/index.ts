// BattleMetrics for player intel, optional (BATTLEMETRICS_TOKEN): one object per process holding the client, the
// process-wide request budget, the on/off switch, server matching, the poll's enricher and the commands'
// look-ups. Without a token every part answers as "not configured" and intel runs on A2S alone.
import type { Config } from "../../config.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { UserError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { Notifier } from "../../notify/notifier.ts";
import { realTimers, type Timers } from "../../rustplus/timers.ts";
import type { PlayerEnricher, PolledServer } from "../types.ts";
import { BattleMetricsClient } from "./client.ts";
import { BattleMetricsEnricher } from "./enricher.ts";
import { BattleMetricsError } from "./errors.ts";
import { sharedLimiter, type RequestLimiter } from "./limiter.ts";
import { Lookups } from "./lookups.ts";
import { ServerMatcher } from "./matching.ts";
import { OnlineLists, type OnlinePlayer } from "./online.ts";
import { serverList } from "./schemas.ts";
import { IntegrationSwitch, type SwitchState } from "./switch.ts";

export { BattleMetricsError } from "./errors.ts";
export type { FoundPlayer, PlayerDetails, PlayerSession } from "./lookups.ts";

/** Requests background work leaves free for commands someone is waiting on. */
const BACKGROUND_RESERVE = 5;
const RECHECK_EVERY_MS = 3_600_000;

export interface BattleMetricsOptions {
  config: Pick<Config, "BATTLEMETRICS_TOKEN" | "BATTLEMETRICS_API_URL" | "ADMIN_STEAM_IDS">;
  prisma: PrismaClient;
  notifier: Pick<Notifier, "notify">;
  logger: Logger;
  timers?: Timers;
  /** The process's limiter by default; tests give their own. */
  limiter?: RequestLimiter;
  timeoutMs?: number;
}

export type BattleMetricsState = { configured: false } | ({ configured: true } & SwitchState);

export class BattleMetrics {
  readonly enricher: PlayerEnricher;
  readonly limiter: RequestLimiter;
  readonly #client: BattleMetricsClient | undefined;
  readonly #switch: IntegrationSwitch;
  readonly #lookups: Lookups | undefined;
  readonly #matcher: ServerMatcher | undefined;
  readonly #online: OnlineLists | undefined;
  readonly #timers: Timers;
  readonly #logger: Logger;
  #recheckTimer: unknown;
  #rechecking: Promise<unknown> | undefined;

  constructor(options: BattleMetricsOptions) {
    const { config, prisma, logger } = options;
    this.#timers = options.timers ?? realTimers;
    this.#logger = logger;
    this.limiter = options.limiter ?? sharedLimiter();
    this.#switch = new IntegrationSwitch(prisma, options.notifier, config.ADMIN_STEAM_IDS, this.#timers, logger);
    const token = config.BATTLEMETRICS_TOKEN;
    if (token) {
      this.#client = new BattleMetricsClient({
        baseUrl: config.BATTLEMETRICS_API_URL,
        token,
        limiter: this.limiter,
        timers: this.#timers,
        backgroundReserve: BACKGROUND_RESERVE,
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
        onRefused: (error) => this.#switch.switchOff(error),
      });
      this.#matcher = new ServerMatcher(this.#client, prisma, this.#timers);
      this.#online = new OnlineLists(this.#client, this.#timers);
      this.#lookups = new Lookups(this.#client, this.#matcher, prisma, () => this.#usable(), logger);
    }
    this.enricher = new BattleMetricsEnricher({ onlineOf: (server) => this.#onlineOf(server) }, prisma, logger);
  }

  /** True when a token is set and BattleMetrics is not switched off (as last read; see `state`). */
  enabled(): boolean {
    return this.#client !== undefined && this.#switch.state.on;
  }

  /** Configured or not, on or off, why, and when it is checked again. */
  async state(): Promise<BattleMetricsState> {
    if (!this.#client) return { configured: false };
    return { configured: true, ...(await this.#switch.refresh()) };
  }

  /**
   * Reads the switch; when it is off, checks at once (the operator may have just set a new token and restarted),
   * then once an hour whether the daily re-check is due.
   */
  async start(): Promise<void> {
    if (!this.#client) return;
    if (!(await this.#switch.refresh(true)).on) await this.recheck(true);
    const tick = () => {
      this.#recheckTimer = this.#timers.setTimeout(() => {
        this.recheck().catch((err: unknown) => this.#logger.warn({ err }, "BattleMetrics re-check failed")).finally(tick);
      }, RECHECK_EVERY_MS);
    };
    tick();
  }

  stop(): void {
    this.#timers.clearTimeout(this.#recheckTimer);
    this.#recheckTimer = undefined;
  }

  /**
   * When switched off and the check is due (a day after, or `force`): one cheap request (a one-server list); an answer
   * switches BattleMetrics back on and tells the operators once.
   */
  async recheck(force = false): Promise<"not-configured" | "not-due" | "still-off" | "back-on"> {
    const client = this.#client;
    if (!client) return "not-configured";
    return this.#switch.recheck(async () => {
      await client.get("servers", { "filter[game]": "rust", "page[size]": "1" }, serverList, "user");
      return true;
    }, force);
  }

  // ───────── look-ups for commands (each charges one look-up before any request; UserError on failure) ─────────

  findPlayer: Lookups["findPlayer"] = async (...args) => this.#need().findPlayer(...args);
  playerDetails: Lookups["playerDetails"] = async (...args) => this.#need().playerDetails(...args);
  playerSessions: Lookups["playerSessions"] = async (...args) => this.#need().playerSessions(...args);
  bindSteamFromBattleMetrics: Lookups["bindSteamFromBattleMetrics"] = async (...args) => this.#need().bindSteamFromBattleMetrics(...args);
  playerFromSteamId: Lookups["playerFromSteamId"] = async (...args) => this.#need().playerFromSteamId(...args);

  #need(): Lookups {
    if (!this.#lookups) throw new UserError("BattleMetrics is not set up on this bot (no BATTLEMETRICS_TOKEN); player intel uses the servers' own query.");
    return this.#lookups;
  }

  /** Throws a UserError when switched off (a due re-check runs first, in the background). */
  async #usable(): Promise<void> {
    const state = await this.#switch.refresh();
    if (state.on) return;
    this.#maybeRecheck(state);
    throw new UserError(`BattleMetrics is switched off: ${state.reason ?? "switched off"}. Player intel continues from the server's own query.`);
  }

  #maybeRecheck(state: SwitchState): void {
    if (this.#rechecking || (state.nextCheckAt && state.nextCheckAt.getTime() > this.#timers.now())) return;
    this.#rechecking = this.recheck()
      .catch((err: unknown) => this.#logger.warn({ err }, "BattleMetrics re-check failed"))
      .finally(() => (this.#rechecking = undefined));
  }

  async #onlineOf(server: PolledServer): Promise<OnlinePlayer[] | undefined> {
    if (!this.#matcher || !this.#online) return undefined;
    const state = await this.#switch.refresh();
    if (!state.on) {
      this.#maybeRecheck(state);
      return undefined;
    }
    try {
      const id = await this.#matcher.serverIdOf(server, "background");
      return id ? await this.#online.of(id, "background") : undefined;
    } catch (error) {
      if (error instanceof BattleMetricsError && error.kind === "budget") return undefined;
      throw error;
    }
  }
}
