// Periodic clean-up of rows that only matter for a while: expired one-time tokens (and used OpenID
// nonces past their window), expired map notes, Stripe event ids long after Stripe stops retrying (3 days; kept 90),
// player sessions 30 days after they ended, and BattleMetrics look-up quota rows of past days (kept 7).
import { pruneLookupQuotas } from "../billing/lookup-charge.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { sweepExpiredTokens } from "../identity/one-time-tokens.ts";
import type { Logger } from "../logger.ts";
import { sweepExpiredNotes } from "../notes/sweep.ts";
import { pruneEndedSessions } from "../intel/poll/prune-sessions.ts";

const STRIPE_EVENT_RETENTION_MS = 90 * 86_400_000;
const EVERY_MS = 10 * 60_000;

/** One pass; `now` is the clock map notes expire, sessions and quota days age by (tests pass a later one instead of waiting). */
export async function sweepOnce(prisma: PrismaClient, now = new Date()): Promise<{ tokens: number; notes: number; stripeEvents: number; playerSessions: number; lookupQuotas: number }> {
  const tokens = await sweepExpiredTokens(prisma);
  const notes = await sweepExpiredNotes(prisma, now);
  const { count: stripeEvents } = await prisma.stripeWebhookEvent.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - STRIPE_EVENT_RETENTION_MS) } } });
  const playerSessions = await pruneEndedSessions(prisma, now);
  const lookupQuotas = await pruneLookupQuotas(prisma, now);
  return { tokens, notes, stripeEvents, playerSessions, lookupQuotas };
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
