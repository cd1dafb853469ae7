// A tier that shrinks (a subscription ended, a beta grant revoked or expired) must not keep more servers live
// than it allows: the servers connected most recently are taken offline first, and the owner is told once.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";
import { serverLabel } from "../pairing/server-card.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { allowance, canUpgrade, type LimitsConfig } from "./entitlements.ts";

const EVERY_MS = 10 * 60_000;

/** Takes servers over the limit offline; returns how many. Safe in every process (updates are conditional). */
export async function enforceLiveLimits(prisma: PrismaClient, config: LimitsConfig, rust: ConnectionManager, notifier: Notifier): Promise<number> {
  const owners = await prisma.pairedServer.groupBy({ by: ["userId"], where: { live: true }, _count: { _all: true } });
  let offline = 0;
  for (const { userId, _count } of owners) {
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, steamId: true } });
    if (!user) continue;
    const allowed = await allowance(prisma, config, user, "pairedServers");
    const over = _count._all - allowed.limit;
    if (over <= 0) continue;
    const extra = await prisma.pairedServer.findMany({ where: { userId, live: true }, orderBy: { pairedAt: "desc" }, take: over });
    for (const server of extra) {
      const taken = await prisma.$transaction(async (tx) => {
        const { count } = await tx.pairedServer.updateMany({ where: { id: server.id, live: true }, data: { live: false } });
        if (count === 0) return false;
        await notifier.notify(
          {
            userId,
            dedupeKey: `live-limit:${server.id}:${Date.now()}`,
            event: {
              kind: "server-status",
              serverName: serverLabel(server),
              text: `Your ${allowed.tier} tier allows ${allowed.limit} live server${allowed.limit === 1 ? "" : "s"}, so ${serverLabel(server)} was disconnected. It stays paired: ${canUpgrade(allowed) ? "upgrade with /subscribe, or connect" : "connect"} it again in place of another.`,
              at: new Date().toISOString(),
            },
          },
          tx,
        );
        return true;
      });
      rust.disconnect(server.id);
      if (taken) offline++;
    }
  }
  return offline;
}

/** Runs the check now and every 10 minutes; returns a stop function. */
export function startLiveLimits(prisma: PrismaClient, config: LimitsConfig, rust: ConnectionManager, notifier: Notifier, logger: Logger): () => void {
  const run = async () => {
    try {
      const offline = await enforceLiveLimits(prisma, config, rust, notifier);
      if (offline) logger.info({ offline }, "took servers over the tier's live limit offline");
      // Another process may have taken one of ours offline.
      await rust.reconcile();
    } catch (err) {
      logger.warn({ err }, "checking live limits failed");
    }
  };
  void run();
  const timer = setInterval(() => void run(), EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
