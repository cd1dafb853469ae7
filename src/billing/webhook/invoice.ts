// invoice.paid and invoice.payment_failed: the subscription is re-fetched and stored as Stripe now has it
// (past_due after a failed renewal, active once a retry succeeds); a failure also tells the user.
import type Stripe from "stripe";
import { ignore, idOf, type HandlerDeps, type Write } from "./context.ts";
import { prepareSubscriptionSync } from "./subscription-sync.ts";

function subscriptionOf(invoice: Stripe.Invoice): string | undefined {
  return idOf(invoice.parent?.subscription_details?.subscription);
}

export async function prepareInvoicePaid(deps: HandlerDeps, invoice: Stripe.Invoice): Promise<Write> {
  const subscriptionId = subscriptionOf(invoice);
  if (!subscriptionId) return ignore("invoice not for a subscription");
  const write = await prepareSubscriptionSync(deps, subscriptionId);
  return async (tx) => (await write(tx)).outcome;
}

export async function prepareInvoiceFailed(deps: HandlerDeps, invoice: Stripe.Invoice): Promise<Write> {
  const subscriptionId = subscriptionOf(invoice);
  if (!subscriptionId) return ignore("invoice not for a subscription");
  const write = await prepareSubscriptionSync(deps, subscriptionId);
  return async (tx) => {
    const { userId, outcome } = await write(tx);
    if (!userId || !invoice.id) return outcome;
    await deps.ctx.onPaymentFailed(tx, {
      userId,
      invoiceId: invoice.id,
      subscriptionId,
      attempt: invoice.attempt_count,
      amountDueCents: invoice.amount_due,
      currency: invoice.currency,
      nextAttemptAt: invoice.next_payment_attempt ? new Date(invoice.next_payment_attempt * 1000) : null,
      hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
      dedupeKey: `stripe:invoice-payment-failed:${invoice.id}:${invoice.attempt_count}`,
    });
    return `${outcome}; user told of failed payment (attempt ${invoice.attempt_count})`;
  };
}
