// checkout.session.completed / async_payment_succeeded / async_payment_failed.
import type Stripe from "stripe";
import { ignore, idOf, isMissingInStripe, type HandlerDeps, type Write } from "./context.ts";
import { isCreditsSession, isSettled, recordCreditPurchase } from "./credit-purchase.ts";
import { judgePack, retrieveWithItems } from "./pack-paid.ts";
import { prepareSubscriptionSync } from "./subscription-sync.ts";

export async function prepareCheckoutPaid(deps: HandlerDeps, session: Stripe.Checkout.Session): Promise<Write> {
  if (session.mode === "subscription") {
    const subscriptionId = idOf(session.subscription);
    if (!subscriptionId) return ignore("subscription checkout without a subscription");
    const write = await prepareSubscriptionSync(deps, subscriptionId, session.client_reference_id ?? session.metadata?.["userId"]);
    return async (tx) => (await write(tx)).outcome;
  }
  if (!isCreditsSession(session)) return ignore(`checkout session in ${session.mode} mode that is not ours`);
  // A delayed payment method (bank debit): the credits come with async_payment_succeeded.
  if (!isSettled(session)) return ignore("credit checkout awaiting an asynchronous payment");
  // What was sold is read back from Stripe, not from the event's copy: a failure throws (500, redelivered),
  // except Stripe saying the session does not exist, which no redelivery changes (a deleted session, or a
  // webhook secret of the other mode than STRIPE_SECRET_KEY): logged once, acknowledged, nothing credited.
  let paid;
  try {
    paid = await retrieveWithItems(deps.stripe, session.id);
  } catch (error) {
    if (!isMissingInStripe(error)) throw error;
    deps.ctx.logger.error(
      { sessionId: session.id, userId: session.client_reference_id, livemode: session.livemode },
      "Stripe does not know this credit checkout session (deleted, or a webhook of the other mode than STRIPE_SECRET_KEY): not credited",
    );
    return ignore("credit checkout session unknown to Stripe");
  }
  const verdict = judgePack(deps.ctx.config, paid);
  return (tx) => recordCreditPurchase(tx, deps.ctx, paid, verdict);
}

export async function prepareCheckoutFailed(deps: HandlerDeps, session: Stripe.Checkout.Session): Promise<Write> {
  deps.ctx.logger.warn({ sessionId: session.id, userId: session.client_reference_id, mode: session.mode }, "checkout payment failed: nothing granted");
  return ignore("asynchronous checkout payment failed");
}
