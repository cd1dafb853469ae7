// Periodic clean-up of rows that only matter for a while: expired one-time tokens (and used OpenID
// nonces past their window), expired map notes, Stripe event ids long after Stripe stops retrying (3 days; kept 90),
// player sessions 30 days after they ended, BattleMetrics look-up quota rows of past days (kept 7), and own shops'
// sales after 8 days, posting each owner's daily sales summary once their local day is over (src/shop/own/).
import { pruneLookupQuotas } from "../billing/lookup-charge.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { sweepExpiredTokens } from "../identity/one-time-tokens.ts";
import type { Logger } from "../logger.ts";
import { sweepExpiredNotes } from "../notes/sweep.ts";
import { pruneEndedSessions } from "../intel/poll/prune-sessions.ts";
import type { Notifier } from "../notify/notifier.ts";
import { postDailySummaries, pruneShopSales } from "../shop/own/daily-summary.ts";

const STRIPE_EVENT_RETENTION_MS = 90 * 86_400_000;
const EVERY_MS = 10 * 60_000;

/**
 * One pass; `now` is the clock map notes expire, sessions and quota days age by, and shop days end by (tests pass a
 * later one instead of waiting). Without a notifier no sales summary is posted (sales are still pruned).
 */
export async function sweepOnce(
  prisma: PrismaClient,
  now = new Date(),
  notifier?: Pick<Notifier, "notify">,
): Promise<{ tokens: number; notes: number; stripeEvents: number; playerSessions: number; lookupQuotas: number; shopSummaries: number; shopSales: number }> {
  const tokens = await sweepExpiredTokens(prisma);
  const notes = await sweepExpiredNotes(prisma, now);
  const { count: stripeEvents } = await prisma.stripeWebhookEvent.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - STRIPE_EVENT_RETENTION_MS) } } });
  const playerSessions = await pruneEndedSessions(prisma, now);
  const lookupQuotas = await pruneLookupQuotas(prisma, now);
  const shop = notifier ? await postDailySummaries(prisma, notifier, now) : { summaries: 0, pruned: await pruneShopSales(prisma, now) };
  return { tokens, notes, stripeEvents, playerSessions, lookupQuotas, shopSummaries: shop.summaries, shopSales: shop.pruned };
}

/** Starts the sweep; returns a stop function. Idempotent work, so every process may run it. */
export function startSweeper(prisma: PrismaClient, logger: Logger, notifier?: Pick<Notifier, "notify">): () => void {
  const timer = setInterval(() => {
    sweepOnce(prisma, new Date(), notifier).then(
      (swept) => logger.debug(swept, "swept expired rows"),
      (err: unknown) => logger.warn({ err }, "sweep failed"),
    );
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
