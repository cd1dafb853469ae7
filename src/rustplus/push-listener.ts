// One push source per stored credential. Each push is parsed, handled once (its persistent id recorded
// in the same transaction as its effect) and never crashes the process; a malformed one is logged and dropped.
// sync() (run by every fleet round) follows the table, so credentials saved by another process (the sidecar's device pairing) are
// picked up, replaced ones restarted and deleted ones stopped.
import { createHash } from "node:crypto";
import type { SecretBox } from "../db/crypto.ts";
import type { FcmCredential, Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { openCredentials } from "./credentials-store.ts";
import type { ChannelHealth } from "./push-health.ts";
import { parsePush, type PushEvent } from "./push-events.ts";
import type { ChannelState, PushSource, PushSourceFactory } from "./push-source.ts";
import { WorkSet } from "../work-set.ts";

/** Applies a push's effect inside the transaction that records it; may return what to do once it is committed. */
export type PushHandler = (tx: Prisma.TransactionClient, userId: string, event: PushEvent, persistentId: string) => Promise<void | (() => void)>;

/** Which users' credentials this process listens with (the fleet's `user:` leases). */
export interface PushOwnership {
  /** Held here now (which sources sync() keeps running). */
  holds(userId: string): boolean;
  /** Held here, or taken now when free (a user's own action: /credentials add). */
  claim(userId: string): Promise<boolean>;
  /** A push may be handled now; otherwise the source is stopped without handling it. */
  valid(userId: string): boolean;
}

/** Which stored secrets a source runs with: a push moves updatedAt (lastPushAt) without changing them. */
const fingerprint = (row: Pick<FcmCredential, "blobEncrypted" | "keyVersion">) =>
  createHash("sha256").update(row.blobEncrypted).update(String(row.keyVersion)).digest("hex");

/** A source error as a log field: its message only (a library error may carry request options with secrets). */
const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 200);

export class PushListener {
  readonly #sources = new Map<string, PushSource>();
  /** The row each user's source was started from (also when it could not be opened: no retry until it changes). */
  readonly #known = new Map<string, { updatedAt: number; fingerprint: string }>();
  readonly #channels = new Map<string, ChannelHealth>();
  /** Starts of one user run one after another, so two never leave two sources running. */
  readonly #starting = new Map<string, Promise<void>>();
  readonly #inFlight = new WorkSet((err) => this.logger.error({ err }, "handling a push failed"));
  #syncing: Promise<unknown> | undefined;
  #closed = false;
  /** Whose credentials this process listens with (with a fleet, the users whose lease it holds); all by default. */
  #ownership: PushOwnership = { holds: () => true, claim: () => Promise.resolve(true), valid: () => true };

  constructor(
    private readonly prisma: PrismaClient,
    private readonly secrets: SecretBox,
    private readonly logger: Logger,
    private readonly factory: PushSourceFactory,
    private readonly handle: PushHandler,
  ) {}

  /** Puts the listener under the fleet's user leases. */
  setOwnership(ownership: PushOwnership): void {
    this.#ownership = ownership;
  }

  #owned<T extends { userId: string }>(rows: T[]): T[] {
    return rows.filter((row) => this.#ownership.holds(row.userId));
  }

  /** (Re)starts the source of one user's credential, e.g. after /credentials add (taking the user's lease when free). */
  async start(userId: string): Promise<void> {
    if (!(await this.#ownership.claim(userId))) return;
    return this.restart(userId);
  }

  /** (Re)starts the source of a user whose lease this process holds. */
  restart(userId: string): Promise<void> {
    const run = (this.#starting.get(userId) ?? Promise.resolve()).then(() => this.#start(userId));
    const settled = run.catch(() => undefined);
    this.#starting.set(userId, settled);
    void settled.then(() => {
      if (this.#starting.get(userId) === settled) this.#starting.delete(userId);
    });
    return run;
  }

  async #start(userId: string): Promise<void> {
    this.stop(userId);
    if (this.#closed) return;
    const row = await this.prisma.fcmCredential.findUnique({ where: { userId } });
    if (!row) return;
    this.#known.set(userId, { updatedAt: row.updatedAt.getTime(), fingerprint: fingerprint(row) });
    const log = this.logger.child({ userId });
    let secrets;
    try {
      secrets = openCredentials(this.secrets, row);
    } catch (err) {
      log.error({ err }, "cannot read stored push credentials");
      return;
    }
    const seen = await this.prisma.pushReceipt.findMany({ where: { userId }, select: { persistentId: true }, orderBy: { receivedAt: "desc" }, take: 500 });
    // The user's lease may have gone while the rows were read (stop() then found no source to stop): a source
    // started now would log in next to the new owner's and each would keep knocking the other off Google.
    if (this.#closed || !this.#ownership.holds(userId)) {
      this.#known.delete(userId);
      return;
    }
    // Reports from a source that has since been replaced or stopped are ignored.
    const current = () => this.#sources.get(userId) === source;
    this.#channels.set(userId, { connected: false, since: new Date(), failed: false });
    const source: PushSource = this.factory({
      androidId: secrets.androidId,
      securityToken: secrets.securityToken,
      persistentIds: seen.map((s) => s.persistentId),
      onData: (raw) => {
        if (!this.#ownership.valid(userId)) {
          log.warn("lost lease");
          if (current()) this.stop(userId);
          return;
        }
        if (current()) this.#markConnected(userId);
        void this.#inFlight.track(this.receive(userId, raw).catch((err: unknown) => log.error({ err }, "handling a push failed")));
      },
      onError: (err) => {
        if (!current()) return;
        log.warn({ reason: reasonOf(err) }, "push channel failed");
        const health = this.#channels.get(userId);
        this.#channels.set(userId, { connected: false, since: health && !health.connected ? health.since : new Date(), failed: true });
      },
      onStatus: (status, reason) => {
        if (!current()) return;
        log.info({ status, ...(reason && { reason }) }, "push channel");
        if (status === "connected") this.#markConnected(userId);
        else if (this.#channels.get(userId)?.connected !== false) this.#channels.set(userId, { connected: false, since: new Date(), failed: false });
      },
    });
    this.#sources.set(userId, source);
    await source.start().catch((err: unknown) => {
      log.error({ reason: reasonOf(err) }, "push channel did not start");
      if (current()) this.#channels.set(userId, { connected: false, since: this.#channels.get(userId)?.since ?? new Date(), failed: true });
    });
  }

  #markConnected(userId: string): void {
    if (!this.#channels.get(userId)?.connected) this.#channels.set(userId, { connected: true, since: new Date(), failed: false });
  }

  /** The state of each running source's channel to Google (for the "pushes stopped" warning). */
  channels(): ReadonlyMap<string, Readonly<ChannelHealth>> {
    return this.#channels;
  }

  /**
   * What /credentials status shows about one user's channel: its health as the listener tracks it, and the
   * source's own state (heartbeats, reconnects) when it keeps one; undefined when no source runs here.
   */
  channelState(userId: string): { health: Readonly<ChannelHealth>; state: ChannelState | undefined } | undefined {
    const health = this.#channels.get(userId);
    if (!health || !this.#sources.has(userId)) return undefined;
    return { health, state: this.#sources.get(userId)?.state?.() };
  }

  /** Starts sources for credentials that are new or replaced since they were started, and stops those deleted. */
  sync(): Promise<{ started: number; stopped: number }> {
    // One pass at a time: a slow database must not pile passes up.
    const pass = this.#syncing ? this.#syncing.then(() => this.#sync()) : this.#sync();
    const settled = pass.catch(() => undefined);
    this.#syncing = settled;
    void settled.then(() => {
      if (this.#syncing === settled) this.#syncing = undefined;
    });
    return pass;
  }

  async #sync(): Promise<{ started: number; stopped: number }> {
    if (this.#closed) return { started: 0, stopped: 0 };
    const rows = this.#owned(await this.prisma.fcmCredential.findMany({ select: { userId: true, updatedAt: true } }));
    const present = new Set(rows.map((r) => r.userId));
    let stopped = 0;
    for (const userId of [...this.#known.keys()]) {
      if (!present.has(userId)) {
        this.stop(userId);
        stopped++;
      }
    }
    let started = 0;
    for (const row of rows) {
      const known = this.#known.get(row.userId);
      if (known?.updatedAt === row.updatedAt.getTime() || this.#starting.has(row.userId)) continue;
      if (known) {
        const now = await this.prisma.fcmCredential.findUnique({ where: { userId: row.userId }, select: { blobEncrypted: true, keyVersion: true, updatedAt: true } });
        if (!now) continue;
        if (fingerprint(now) === known.fingerprint) {
          known.updatedAt = now.updatedAt.getTime();
          continue;
        }
      }
      await this.restart(row.userId);
      started++;
    }
    if (started || stopped) this.logger.info({ started, stopped }, "push sources synced");
    return { started, stopped };
  }

  /** Resolves when every push received so far has been handled. */
  async drained(): Promise<void> {
    await this.#inFlight.idle();
  }

  stop(userId: string): void {
    this.#sources.get(userId)?.stop();
    this.#sources.delete(userId);
    this.#known.delete(userId);
    this.#channels.delete(userId);
  }

  stopAll(): void {
    for (const userId of new Set([...this.#sources.keys(), ...this.#known.keys()])) this.stop(userId);
  }

  /** Shutdown: no more syncs or starts, every source stopped. */
  close(): void {
    this.#closed = true;
    this.stopAll();
  }

  /** Handles one raw push for a user; returns what happened (for logs and tests). */
  async receive(userId: string, raw: unknown): Promise<"handled" | "duplicate" | "dropped"> {
    const parsed = parsePush(raw);
    const log = this.logger.child({ userId, persistentId: parsed.persistentId });
    if (!parsed.ok) {
      log.warn({ reason: parsed.reason }, "dropped a push");
      if (parsed.persistentId) await this.prisma.pushReceipt.createMany({ data: [{ userId, persistentId: parsed.persistentId }], skipDuplicates: true });
      return "dropped";
    }
    const after: { run?: () => void } = {};
    const outcome = await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.pushReceipt.createMany({ data: [{ userId, persistentId: parsed.persistentId }], skipDuplicates: true });
      if (count === 0) return "duplicate" as const;
      await tx.fcmCredential.updateMany({ where: { userId }, data: { lastPushAt: new Date() } });
      const then = await this.handle(tx, userId, parsed.event, parsed.persistentId);
      if (then) after.run = then;
      return "handled" as const;
    });
    log.info({ kind: parsed.event.kind, outcome }, "push");
    after.run?.();
    return outcome;
  }
}
