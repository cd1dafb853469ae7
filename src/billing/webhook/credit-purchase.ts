// A paid credit-pack Checkout session becomes one Purchase (stripeId = the session id, unique: the second
// guard against double credit) and a Credit increment, in the webhook's transaction.
import type Stripe from "stripe";
import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.ts";
import { addCredits } from "../credits.ts";
import { findPack } from "../prices.ts";
import type { EventContext } from "./context.ts";

const creditsMetadata = z.object({
  userId: z.string().min(1),
  kind: z.literal("credits"),
  pack: z.string().min(1),
  credits: z.coerce.number().int().positive(),
});

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
 * Records the purchase and adds its credits, once. With `refundedAt` (a refund or dispute seen before the
 * purchase itself) the purchase is recorded as already clawed back and the balance is left alone, so the
 * late checkout event that follows adds nothing: the same end state as the events in order.
 */
export async function recordCreditPurchase(
  tx: Prisma.TransactionClient,
  ctx: EventContext,
  session: Stripe.Checkout.Session,
  refundedAt: Date | null = null,
): Promise<string> {
  const meta = creditsMetadata.safeParse(session.metadata ?? {});
  if (!meta.success) {
    ctx.logger.error({ sessionId: session.id }, "credit checkout session without our metadata: not credited");
    return "ignored: credit session without our metadata";
  }
  const { userId, pack, credits } = meta.data;
  await lockSession(tx, session.id);
  if (!(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) {
    ctx.logger.error({ sessionId: session.id, userId }, "paid credit pack for a user that no longer exists: not credited");
    return "ignored: paid credit pack of an unknown user";
  }
  const { count } = await tx.purchase.createMany({
    data: [
      {
        userId,
        stripeId: session.id,
        stripePriceId: findPack(ctx.config, pack)?.priceId ?? null,
        amountCents: session.amount_total ?? 0,
        currency: session.currency ?? "usd",
        creditsAdded: credits,
        packageName: pack,
        refundedAt,
      },
    ],
    skipDuplicates: true,
  });
  if (count === 0) return `credits for ${session.id} already recorded`;
  if (refundedAt) return `purchase ${session.id} recorded as already refunded (no credits)`;
  const balance = await addCredits(tx, userId, credits);
  return `+${credits} credits (${pack}) → balance ${balance}`;
}

/** Takes a refunded or disputed purchase's credits back, once; the balance may go below zero. */
export async function clawBackPurchase(tx: Prisma.TransactionClient, ctx: EventContext, session: Stripe.Checkout.Session, why: string): Promise<string> {
  await lockSession(tx, session.id);
  const purchase = await tx.purchase.findUnique({ where: { stripeId: session.id } });
  if (!purchase) return recordCreditPurchase(tx, ctx, session, new Date());
  const { count } = await tx.purchase.updateMany({ where: { id: purchase.id, refundedAt: null }, data: { refundedAt: new Date() } });
  if (count === 0) return `purchase ${session.id} already clawed back`;
  if (purchase.creditsAdded === 0) return `purchase ${session.id} marked ${why} (no credits to take back)`;
  const balance = await addCredits(tx, purchase.userId, -purchase.creditsAdded);
  ctx.logger.info({ userId: purchase.userId, sessionId: session.id, credits: purchase.creditsAdded, balance, why }, "credits clawed back");
  return `-${purchase.creditsAdded} credits (${why}) → balance ${balance}`;
}
