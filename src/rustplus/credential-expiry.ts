// Warn a player a day before their push credentials expire (the Rust+ token lasts about two weeks).
// Runs periodically in every process; the outbox's dedupe key makes the warning once per credential.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";

const WARN_BEFORE_MS = 24 * 3_600_000;
const EVERY_MS = 15 * 60_000;

export async function warnExpiringCredentials(prisma: PrismaClient, notifier: Notifier, now = new Date()): Promise<number> {
  const soon = await prisma.fcmCredential.findMany({
    where: { expiresAt: { gt: now, lte: new Date(now.getTime() + WARN_BEFORE_MS) } },
    select: { userId: true, expiresAt: true },
  });
  let warned = 0;
  for (const row of soon) {
    const outcome = await notifier.notify({
      userId: row.userId,
      dedupeKey: `credentials-expiry:${row.userId}:${row.expiresAt!.getTime()}`,
      event: {
        kind: "account",
        at: now.toISOString(),
        title: "Your Rust+ credentials expire within a day",
        text: "Run `npx @liamcottle/rustplus.js fcm-register` on your PC again, then `/credentials add`, or pairings and alarms stop reaching the bot.",
      },
    });
    if (outcome === "queued") warned++;
  }
  return warned;
}

export function startExpiryWarnings(prisma: PrismaClient, notifier: Notifier, logger: Logger): () => void {
  const run = () => warnExpiringCredentials(prisma, notifier).catch((err: unknown) => logger.warn({ err }, "credential expiry check failed"));
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
