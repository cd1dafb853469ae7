// charge.refunded and charge.dispute.created: take back the credits of the credit pack paid by that charge.
// Purchase has no payment-intent column, so the Checkout session (whose id is Purchase.stripeId) is found
// from the charge's payment intent through the API. Subscription charges are not credit packs: ignored here
// (the subscription's own events carry any status change).
import type Stripe from "stripe";
import { ignore, idOf, type HandlerDeps, type Write } from "./context.ts";
import { clawBackPurchase, isCreditsSession } from "./credit-purchase.ts";
import { judgePack, retrieveWithItems } from "./pack-paid.ts";

export async function prepareRefund(deps: HandlerDeps, charge: Stripe.Charge): Promise<Write> {
  // Partial refunds keep the credits; the refund that completes the charge's total takes them all back.
  if (!charge.refunded) return ignore(`partial refund (${charge.amount_refunded} of ${charge.amount}): credits kept`);
  return prepareClawBack(deps, idOf(charge.payment_intent), "refunded");
}

export async function prepareDispute(deps: HandlerDeps, dispute: Stripe.Dispute): Promise<Write> {
  let paymentIntent = idOf(dispute.payment_intent);
  if (!paymentIntent) {
    const charge = typeof dispute.charge === "string" ? await deps.stripe.charges.retrieve(dispute.charge) : dispute.charge;
    paymentIntent = idOf(charge.payment_intent);
  }
  return prepareClawBack(deps, paymentIntent, "disputed");
}

async function prepareClawBack(deps: HandlerDeps, paymentIntent: string | undefined, why: "refunded" | "disputed"): Promise<Write> {
  if (!paymentIntent) return ignore("charge without a payment intent");
  const sessions = await deps.stripe.checkout.sessions.list({ payment_intent: paymentIntent, limit: 1 });
  const session = sessions.data[0];
  if (!session || !isCreditsSession(session)) return ignore(`${why} charge is not a credit pack`);
  // Needed when the refund comes before the purchase, which is then recorded from what was sold.
  const paid = await retrieveWithItems(deps.stripe, session.id);
  const verdict = judgePack(deps.ctx.config, paid);
  return (tx) => clawBackPurchase(tx, deps.ctx, paid, verdict, why);
}
