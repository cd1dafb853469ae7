// Periodic clean-up of rows that only matter for a while: expired one-time tokens (and used OpenID
// nonces past their window), and Stripe event ids long after Stripe stops retrying (3 days; kept 90).
import type { PrismaClient } from "../generated/prisma/client.ts";
import { sweepExpiredTokens } from "../identity/one-time-tokens.ts";
import type { Logger } from "../logger.ts";

const STRIPE_EVENT_RETENTION_MS = 90 * 86_400_000;
const EVERY_MS = 10 * 60_000;

export async function sweepOnce(prisma: PrismaClient): Promise<{ tokens: number; stripeEvents: number }> {
  const tokens = await sweepExpiredTokens(prisma);
  const { count: stripeEvents } = await prisma.stripeWebhookEvent.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - STRIPE_EVENT_RETENTION_MS) } } });
  return { tokens, stripeEvents };
}

/** Starts the sweep; returns a stop function. Idempotent work, so every process may run it. */
export function startSweeper(prisma: PrismaClient, logger: Logger): () => void {
  const timer = setInterval(() => {
    sweepOnce(prisma).then(
      (swept) => logger.debug(swept, "swept expired rows"),
      (err: unknown) => logger.warn({ err }, "sweep failed"),
    );
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
