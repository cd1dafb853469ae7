// The notifier: enqueue (durable, deduplicated) and a background loop that drains the outbox. Enqueueing
// wakes the loop at once; a slow poll picks up rows written by other processes and retries that are due.
// Held rows (held.ts) are settled by the same loop, before it posts, so this process never posts a row
// while merging into it.
import type { REST } from "@discordjs/rest";
import type { NotificationFamily, Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { releaseAllClaims } from "./claim.ts";
import { Dispatcher } from "./dispatcher.ts";
import { sendDirectMessage, type DirectMessage } from "./dm.ts";
import { enqueueNotification, type EnqueueOutcome } from "./enqueue.ts";
import type { NotificationEvent } from "./events.ts";
import { settleHeld, type HeldSettlement } from "./held.ts";
import { releasePermissionHolds } from "./permission-hold.ts";
import { NO_GUILD_PREFIX } from "./route.ts";

const POLL_MS = 1_000;

export class Notifier {
  readonly #dispatcher: Dispatcher | undefined;
  readonly #rest: REST | undefined;
  readonly #held: HeldSettlement[] = [];
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #pendingWake = false;
  #idleWaiters: (() => void)[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    rest?: REST,
    /** `now` (ms): the dispatcher's clock (tests use a virtual one). */
    options: { now?: () => number } = {},
  ) {
    this.#dispatcher = rest && new Dispatcher(prisma, rest, logger, options.now);
    this.#rest = rest;
  }

  /** `holdUntil`: not posted before then unless `settle` releases it first (see held.ts). */
  async notify(
    input: { userId: string; event: NotificationEvent; dedupeKey: string; holdUntil?: Date },
    tx?: Prisma.TransactionClient,
  ): Promise<EnqueueOutcome> {
    const outcome = await enqueueNotification(tx ?? this.prisma, input, (issues) =>
      this.logger.error({ userId: input.userId, kind: input.event.kind, dedupeKey: input.dedupeKey, issues }, "notification failed validation: not queued (the change it reports is kept)"),
    );
    // Inside a transaction the row is not visible until commit; the caller's commit plus the poll covers it.
    if (outcome === "queued") this.kick();
    return outcome;
  }

  /** After a held row is committed: post it now, or (`into`) merge it into the post it duplicates. */
  settle(held: HeldSettlement): void {
    this.#held.push(held);
    this.kick();
  }

  /** Re-queues rows held for a family that /setup has just given a channel. */
  async release(userId: string, families: NotificationFamily[]): Promise<number> {
    const { count } = await this.prisma.notificationOutbox.updateMany({
      where: { userId, family: { in: families }, status: "BLOCKED" },
      data: { status: "PENDING", batchId: null, nextAttemptAt: new Date(), lastError: null },
    });
    if (count) this.kick();
    return count;
  }

  /**
   * After /setup in `guildId` gave `families` a channel: re-queues those rows of every member routed there, and
   * every row waiting for a guild at all (their user may share this one; the dispatcher looks again, and
   * does not tell them twice).
   */
  async releaseGuild(guildId: string, families: NotificationFamily[]): Promise<number> {
    const routed = await this.prisma.notificationOutbox.updateMany({
      where: { user: { notificationGuildId: guildId }, family: { in: families }, status: "BLOCKED" },
      data: { status: "PENDING", batchId: null, nextAttemptAt: new Date(), lastError: null },
    });
    const waiting = await this.prisma.notificationOutbox.updateMany({
      where: { status: "BLOCKED", lastError: { startsWith: NO_GUILD_PREFIX } },
      data: { status: "PENDING", batchId: null, nextAttemptAt: new Date() },
    });
    const count = routed.count + waiting.count;
    if (count) this.kick();
    return count;
  }

  /**
   * Re-queues rows held because the bot lacked a permission (in `guildId`'s integrations, or all): after a
   * role, member or channel change there, and at start. Rows still refused are held again, untold.
   */
  async releasePermissionHolds(guildId?: string): Promise<number> {
    const count = await releasePermissionHolds(this.prisma, guildId);
    if (count) this.kick();
    return count;
  }

  /**
   * Sends a Discord user a direct message now, not through the outbox (answers to something they are doing,
   * like a link request): "sent", "closed" when they do not accept DMs from the bot, "unavailable" without
   * REST (a sidecar with no DISCORD_TOKEN). Other failures throw.
   */
  async directMessage(discordUserId: string, body: DirectMessage): Promise<"sent" | "closed" | "unavailable"> {
    if (!this.#rest) return "unavailable";
    return (await sendDirectMessage(this.#rest, discordUserId, body)) ? "sent" : "closed";
  }

  /** `soleProcess`: no other process can share this database (the embedded one), so stale claims are ours. */
  start(options: { soleProcess: boolean }): void {
    if (!this.#dispatcher || this.#running) return;
    this.#running = true;
    const dispatcher = this.#dispatcher;
    this.#loop = (async () => {
      if (options.soleProcess) {
        const released = await releaseAllClaims(this.prisma).catch((err: unknown) => (this.logger.error({ err }, "could not release claims"), 0));
        if (released) this.logger.info({ released }, "released notifications claimed before a crash");
      }
      // A permission may have come back while no process was listening.
      await this.releasePermissionHolds().catch((err: unknown) => this.logger.error({ err }, "could not release held notifications"));
      await this.#run(dispatcher);
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.kick();
    await this.#loop;
  }

  kick(): void {
    this.#pendingWake = true;
    this.#wake?.();
  }

  /** Resolves the next time the loop finds nothing due (for tests and benchmarks). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.kick();
    });
  }

  async #run(dispatcher: Dispatcher): Promise<void> {
    while (this.#running) {
      this.#pendingWake = false;
      let settled = 0;
      try {
        settled = (await this.#settleHeld()) + (await dispatcher.runOnce());
      } catch (err) {
        this.logger.error({ err }, "notification dispatch failed");
      }
      if (settled > 0 || this.#pendingWake) continue;
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /** Settles what is held; a merge whose target another process is posting right now waits for the next round. */
  async #settleHeld(): Promise<number> {
    const rest = this.#rest;
    if (!rest) return 0;
    const waiting = this.#held.splice(0);
    let settled = 0;
    for (const held of waiting) {
      const outcome = await settleHeld(this.prisma, rest, this.logger, held).catch((err: unknown) => {
        this.logger.error({ err, dedupeKey: held.dedupeKey }, "settling a held notification failed; its hold will run out");
        return "done" as const;
      });
      if (outcome === "busy") this.#held.push(held);
      else settled++;
    }
    return settled;
  }
}
