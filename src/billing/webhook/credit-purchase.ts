// A settled credit-pack Checkout session becomes one Purchase (stripeId = the session id, unique: the second
// guard against double credit) and, when it paid for a configured pack at its price, a Credit increment, in
// the webhook's transaction. What the pack is and how many credits it gives come from the line items
// (pack-paid.ts); the metadata only names the user. Sessions created before that change carry pack and
// credits in their metadata too: ignored, they go through the same price-based path.
import type Stripe from "stripe";
import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.ts";
import { addCredits, CREDIT_REASONS } from "../credits.ts";
import type { EventContext } from "./context.ts";
import type { PackVerdict } from "./pack-paid.ts";

const creditsMetadata = z.object({ userId: z.string().min(1) });

/** Ours: a payment-mode session we created for a credit pack (metadata kind "credits"). */
export function isCreditsSession(session: Stripe.Checkout.Session): boolean {
  return session.mode === "payment" && session.metadata?.["kind"] === "credits";
}

/** Paid, or free (a 100% discount): either way the pack is owed. */
export function isSettled(session: Stripe.Checkout.Session): boolean {
  return session.payment_status === "paid" || session.payment_status === "no_payment_required";
}

/**
 * Serialises the events of one Checkout session across concurrent deliveries: without it, a refund whose
 * transaction runs beside the purchase's cannot see the uncommitted purchase and is lost. (Reentrant.)
 */
async function lockSession(tx: Prisma.TransactionClient, sessionId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`checkout:${sessionId}`}))`;
}

/**
 * Records the purchase and adds its pack's credits, once. A session the verdict refuses is recorded with
 * creditsAdded 0 and the reason, and logged: never credited. With `refundedAt` (a refund or dispute seen
 * before the purchase itself) the purchase is recorded as already clawed back and the balance is left
 * alone, so the late checkout event that follows adds nothing: the same end state as the events in order.
 * `session` is the one retrieved from Stripe; returns a short outcome for the log.
 */
export async function recordCreditPurchase(
  tx: Prisma.TransactionClient,
  ctx: EventContext,
  session: Stripe.Checkout.Session,
  verdict: PackVerdict,
  refundedAt: Date | null = null,
): Promise<string> {
  const meta = creditsMetadata.safeParse(session.metadata ?? {});
  if (!meta.success) {
    ctx.logger.error({ sessionId: session.id }, "credit checkout session without our metadata: not credited");
    return "ignored: credit session without our metadata";
  }
  const { userId } = meta.data;
  await lockSession(tx, session.id);
  if (!(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) {
    ctx.logger.error({ sessionId: session.id, userId }, "paid credit pack for a user that no longer exists: not credited");
    return "ignored: paid credit pack of an unknown user";
  }
  const credits = verdict.granted ? verdict.pack.credits : 0;
  const packageName = verdict.granted ? verdict.pack.name : (ctx.config.STRIPE_CREDIT_PACKS.find((p) => p.priceId === verdict.priceId)?.name ?? "");
  const { count } = await tx.purchase.createMany({
    data: [
      {
        userId,
        stripeId: session.id,
        stripePriceId: verdict.priceId,
        amountCents: session.amount_total ?? 0,
        currency: session.currency ?? "usd",
        creditsAdded: credits,
        packageName,
        rejectedReason: verdict.granted ? null : verdict.reason,
        refundedAt,
      },
    ],
    skipDuplicates: true,
  });
  if (count === 0) return `credits for ${session.id} already recorded`;
  if (!verdict.granted) {
    ctx.logger.error(
      { sessionId: session.id, userId, priceId: verdict.priceId, amountCents: session.amount_total, currency: session.currency, reason: verdict.reason },
      "credit checkout session does not match a credit pack: recorded, not credited",
    );
    return `not credited: ${verdict.reason}`;
  }
  if (refundedAt) return `purchase ${session.id} recorded as already refunded (no credits)`;
  const balance = await addCredits(tx, userId, credits, CREDIT_REASONS.purchase, session.id);
  return `+${credits} credits (${verdict.pack.name}) → balance ${balance}`;
}

/**
 * Takes a refunded or disputed purchase's credits back, once; the balance may go below zero. The ledger
 * row's reason is "refund" or "dispute", its reference the Checkout session id (as the purchase's).
 */
export async function clawBackPurchase(
  tx: Prisma.TransactionClient,
  ctx: EventContext,
  session: Stripe.Checkout.Session,
  verdict: PackVerdict,
  why: "refunded" | "disputed",
): Promise<string> {
  await lockSession(tx, session.id);
  const purchase = await tx.purchase.findUnique({ where: { stripeId: session.id } });
  if (!purchase) return recordCreditPurchase(tx, ctx, session, verdict, new Date());
  const { count } = await tx.purchase.updateMany({ where: { id: purchase.id, refundedAt: null }, data: { refundedAt: new Date() } });
  if (count === 0) return `purchase ${session.id} already clawed back`;
  if (purchase.creditsAdded === 0) return `purchase ${session.id} marked ${why} (no credits to take back)`;
  const reason = why === "disputed" ? CREDIT_REASONS.dispute : CREDIT_REASONS.refund;
  const balance = await addCredits(tx, purchase.userId, -purchase.creditsAdded, reason, session.id);
  ctx.logger.info({ userId: purchase.userId, sessionId: session.id, credits: purchase.creditsAdded, balance, why }, "credits clawed back");
  return `-${purchase.creditsAdded} credits (${why}) → balance ${balance}`;
}
