// BattleMetrics on or off for the whole process (and every process on the database): the IntegrationState row
// "battlemetrics". A 401 or a "subscription required" 403 switches it off with one message to the operators
// (ADMIN_STEAM_IDS users, as an "account" notification: their status channel, or a DM without one); a check a day
// later (one cheap request) switches it back on and tells them once. Claims are conditional updates, so
// several processes hitting the same 403 send one message.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "../../logger.ts";
import type { Notifier } from "../../notify/notifier.ts";
import type { Timers } from "../../rustplus/timers.ts";
import type { BattleMetricsError } from "./errors.ts";

export const INTEGRATION_ID = "battlemetrics";
export const RECHECK_MS = 24 * 3_600_000;
/** How long this process trusts its copy of the row before reading it again (another process may have switched). */
const CACHE_MS = 60_000;

export interface SwitchState {
  on: boolean;
  reason?: string;
  since?: Date;
  nextCheckAt?: Date;
}

export class IntegrationSwitch {
  #state: SwitchState = { on: true };
  #readAt = -Infinity;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly notifier: Pick<Notifier, "notify">,
    private readonly adminSteamIds: readonly string[],
    private readonly timers: Timers,
    private readonly logger: Logger,
  ) {}

  /** The last known state (read from the database at most once a minute by `refresh`). */
  get state(): SwitchState {
    return this.#state;
  }

  /** Reads the row again if this process's copy is older than a minute (or `force`). */
  async refresh(force = false): Promise<SwitchState> {
    if (!force && this.timers.now() - this.#readAt < CACHE_MS) return this.#state;
    const row = await this.prisma.integrationState.findUnique({ where: { id: INTEGRATION_ID } });
    this.#readAt = this.timers.now();
    this.#state = row?.disabledAt
      ? { on: false, reason: row.disabledReason ?? "switched off", since: row.disabledAt, ...(row.nextCheckAt && { nextCheckAt: row.nextCheckAt }) }
      : { on: true };
    return this.#state;
  }

  /** Switches BattleMetrics off after `error` (401 or 403); the first process to do so tells the operators. */
  async switchOff(error: BattleMetricsError): Promise<void> {
    const now = new Date(this.timers.now());
    const reason = error.kind === "unauthorized" ? "BattleMetrics refused the token (401): BATTLEMETRICS_TOKEN is wrong or revoked" : "BattleMetrics requires a paid API subscription (403)";
    await this.prisma.integrationState.createMany({ data: [{ id: INTEGRATION_ID }], skipDuplicates: true });
    const { count } = await this.prisma.integrationState.updateMany({
      where: { id: INTEGRATION_ID, disabledAt: null },
      data: { disabledAt: now, disabledReason: reason, nextCheckAt: new Date(now.getTime() + RECHECK_MS), operatorToldAt: null },
    });
    await this.refresh(true);
    if (count === 0) return;
    this.logger.error({ status: error.status, reason }, "BattleMetrics switched off; player intel continues on the servers' own query (A2S)");
    const advice =
      error.kind === "unauthorized"
        ? "Set a valid BATTLEMETRICS_TOKEN (from battlemetrics.com/developers) and restart the bot."
        : "BattleMetrics answers \"Access denied. A subscription is required to use the API.\" Subscribe on BattleMetrics, or remove BATTLEMETRICS_TOKEN.";
    await this.#tellOperators(now, `off:${now.toISOString()}`, "BattleMetrics switched off", `${reason}. Player intel keeps working from the servers' own query (A2S): names and time online, no Steam ids. ${advice} The bot checks again once a day.`);
  }

  /**
   * If BattleMetrics is off and its check is due (or `force`: at start, the token may have been changed),
   * claims the check (pushing nextCheckAt a day on, so one process does it) and runs `probe`: true switches it
   * back on and tells the operators once.
   */
  async recheck(probe: () => Promise<boolean>, force = false): Promise<"not-due" | "still-off" | "back-on"> {
    const state = await this.refresh(true);
    const now = new Date(this.timers.now());
    if (state.on || (!force && state.nextCheckAt && state.nextCheckAt > now)) return "not-due";
    const { count } = await this.prisma.integrationState.updateMany({
      where: { id: INTEGRATION_ID, disabledAt: { not: null }, ...(!force && { OR: [{ nextCheckAt: null }, { nextCheckAt: { lte: now } }] }) },
      data: { nextCheckAt: new Date(now.getTime() + RECHECK_MS) },
    });
    if (count === 0) return "not-due";
    const ok = await probe().catch(() => false);
    if (!ok) {
      await this.refresh(true);
      this.logger.warn({ reason: state.reason }, "BattleMetrics is still refusing; checking again in a day");
      return "still-off";
    }
    const back = await this.prisma.integrationState.updateMany({
      where: { id: INTEGRATION_ID, disabledAt: { not: null } },
      data: { disabledAt: null, disabledReason: null, nextCheckAt: null, operatorToldAt: null },
    });
    await this.refresh(true);
    if (back.count === 1) {
      this.logger.info("BattleMetrics answers again; switched back on");
      await this.#tellOperators(now, `on:${now.toISOString()}`, "BattleMetrics back on", "BattleMetrics accepts the token again: player intel uses it again for ids, Steam ids and look-ups.");
    }
    return "back-on";
  }

  /** One "account" notification per operator (deduplicated by `key`); with no linked operator, one error log. */
  async #tellOperators(at: Date, key: string, title: string, text: string): Promise<void> {
    const operators = this.adminSteamIds.length ? await this.prisma.user.findMany({ where: { steamId: { in: [...this.adminSteamIds] } }, select: { id: true } }) : [];
    let told = 0;
    for (const { id } of operators) {
      const outcome = await this.notifier
        .notify({ userId: id, event: { kind: "account", at: at.toISOString(), title, text }, dedupeKey: `battlemetrics:${key}:${id}` })
        .catch((err: unknown) => (this.logger.error({ err, userId: id }, "could not tell an operator about BattleMetrics"), "failed" as const));
      if (outcome === "queued" || outcome === "duplicate") told++;
    }
    if (told === 0) {
      this.logger.error({ title, text }, "no operator to tell about BattleMetrics (set ADMIN_STEAM_IDS to a Steam id that has signed in and linked Discord)");
      return;
    }
    await this.prisma.integrationState.updateMany({ where: { id: INTEGRATION_ID }, data: { operatorToldAt: at } });
  }
}
