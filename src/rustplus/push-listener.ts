// One push source per stored credential. Each push is parsed, handled once (its persistent id recorded
// in the same transaction as its effect) and never crashes the process; a malformed one is logged and dropped.
import type { SecretBox } from "../db/crypto.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { openCredentials } from "./credentials-store.ts";
import { parsePush, type PushEvent } from "./push-events.ts";
import type { PushSource, PushSourceFactory } from "./push-source.ts";

/** Applies a push's effect inside the transaction that records it. */
export type PushHandler = (tx: Prisma.TransactionClient, userId: string, event: PushEvent, persistentId: string) => Promise<void>;

export class PushListener {
  readonly #sources = new Map<string, PushSource>();
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly secrets: SecretBox,
    private readonly logger: Logger,
    private readonly factory: PushSourceFactory,
    private readonly handle: PushHandler,
  ) {}

  /** Starts a source for every stored credential. */
  async startAll(): Promise<void> {
    const rows = await this.prisma.fcmCredential.findMany({ select: { userId: true } });
    await Promise.all(rows.map((r) => this.start(r.userId)));
  }

  /** (Re)starts the source of one user's credential, e.g. after /credentials add. */
  async start(userId: string): Promise<void> {
    this.stop(userId);
    const row = await this.prisma.fcmCredential.findUnique({ where: { userId } });
    if (!row) return;
    const log = this.logger.child({ userId });
    let secrets;
    try {
      secrets = openCredentials(this.secrets, row);
    } catch (err) {
      log.error({ err }, "cannot read stored push credentials");
      return;
    }
    const seen = await this.prisma.pushReceipt.findMany({ where: { userId }, select: { persistentId: true }, orderBy: { receivedAt: "desc" }, take: 500 });
    const source = this.factory({
      androidId: secrets.androidId,
      securityToken: secrets.securityToken,
      persistentIds: seen.map((s) => s.persistentId),
      onData: (raw) => {
        const work = this.receive(userId, raw).catch((err: unknown) => log.error({ err }, "handling a push failed"));
        this.#inFlight.add(work);
        void work.finally(() => this.#inFlight.delete(work));
      },
      onError: (err) => log.warn({ err }, "push channel error"),
    });
    this.#sources.set(userId, source);
    await source.start().catch((err: unknown) => log.error({ err }, "push channel did not start"));
  }

  /** Resolves when every push received so far has been handled. */
  async drained(): Promise<void> {
    while (this.#inFlight.size) await Promise.all(this.#inFlight);
  }

  stop(userId: string): void {
    this.#sources.get(userId)?.stop();
    this.#sources.delete(userId);
  }

  stopAll(): void {
    for (const userId of [...this.#sources.keys()]) this.stop(userId);
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
    const outcome = await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.pushReceipt.createMany({ data: [{ userId, persistentId: parsed.persistentId }], skipDuplicates: true });
      if (count === 0) return "duplicate" as const;
      await tx.fcmCredential.updateMany({ where: { userId }, data: { lastPushAt: new Date() } });
      await this.handle(tx, userId, parsed.event, parsed.persistentId);
      return "handled" as const;
    });
    log.info({ kind: parsed.event.kind, outcome }, "push");
    return outcome;
  }
}
