// Which credit pack a Checkout session paid for, judged from what Stripe says was sold (the session's line
// items and their Price), never from its metadata: metadata only names the user. A session that is not
// exactly one configured pack at its Price's amount and currency gets a reason and grants nothing.
import type Stripe from "stripe";
import type { BillingConfig, CreditPack } from "../prices.ts";

export type PackVerdict =
  | { granted: true; pack: CreditPack; priceId: string }
  | { granted: false; reason: string; priceId: string | null };

/** A session as retrieved with `expand: ["line_items"]`. */
export type SessionWithItems = Stripe.Checkout.Session & { line_items?: Stripe.ApiList<Stripe.LineItem> };

/**
 * Re-reads the session from Stripe with its line items (one request; the client retries, and a failure
 * throws so the webhook answers 500 and Stripe redelivers). A pack is always one line, so the first page
 * that `expand` returns is enough: more lines are refused anyway.
 * @throws Stripe.errors.StripeError when Stripe cannot be reached or answers an error.
 */
export function retrieveWithItems(stripe: Stripe, sessionId: string): Promise<SessionWithItems> {
  return stripe.checkout.sessions.retrieve(sessionId, { expand: ["line_items"] });
}

/**
 * Quantity must be 1 (our sessions sell one pack; buying several at once is not offered, so a larger
 * quantity is not ours). The subtotal (before discounts and tax) must equal the Price's unit amount in the
 * Price's own currency; discounts (a 100% coupon included) and tax change only what was paid, which is
 * recorded. The Price embedded in the line item is Stripe's current Price object, and a Price's amount
 * cannot be edited in Stripe, so no second request is needed for it.
 */
export function judgePack(config: BillingConfig, session: SessionWithItems): PackVerdict {
  const items = session.line_items;
  if (!items) return { granted: false, reason: "Stripe returned the session without its line items", priceId: null };
  const [item, ...others] = items.data;
  if (!item || others.length > 0 || items.has_more) {
    return { granted: false, reason: `the session has ${items.has_more ? "more than " : ""}${items.data.length} line items; a credit pack is exactly one`, priceId: item?.price?.id ?? null };
  }
  const price = item.price;
  const priceId = price?.id ?? null;
  const pack = config.STRIPE_CREDIT_PACKS.find((p) => p.priceId === priceId);
  const refuse = (reason: string): PackVerdict => ({ granted: false, reason, priceId });
  if (!price || !pack) return refuse(`price ${priceId ?? "(none)"} is not a configured credit pack`);
  if (item.quantity !== 1) return refuse(`quantity ${item.quantity ?? "(none)"}: a credit pack is sold one at a time`);
  if (price.type !== "one_time" || price.billing_scheme !== "per_unit" || price.unit_amount === null) {
    return refuse(`price ${price.id} is not a one-time price with a fixed amount`);
  }
  const paidIn = [item.currency, session.currency].map((c) => c?.toLowerCase());
  if (paidIn.some((c) => c !== price.currency)) {
    return refuse(`paid in ${session.currency ?? item.currency}, but price ${price.id} is in ${price.currency}`);
  }
  if (item.amount_subtotal !== price.unit_amount || session.amount_subtotal !== price.unit_amount) {
    return refuse(`charged ${session.amount_subtotal ?? item.amount_subtotal} before discounts and tax, but price ${price.id} is ${price.unit_amount}`);
  }
  return { granted: true, pack, priceId: price.id };
}
