// Stripe-shaped objects, as the pinned API version (stripe-node 23) returns them: periods on subscription
// items, an invoice's subscription under parent.subscription_details, lists as {object: "list", data}.
import Stripe from "stripe";
import { now, stripeId } from "./ids.ts";

export interface StripeObject {
  id: string;
  object: string;
  [key: string]: unknown;
}

export interface PriceInput {
  id: string;
  unitAmount: number;
  currency?: string;
  /** Monthly when true; one-time otherwise. */
  recurring: boolean;
  /** "Customers choose what to pay": unit_amount is null and the customer enters the amount in Checkout. */
  customerChooses?: boolean;
}

export const MONTH = 30 * 24 * 3600;

const list = (data: unknown[], url: string) => ({ object: "list", data, has_more: false, total_count: data.length, url });

export function price(input: PriceInput): StripeObject {
  return {
    id: input.id,
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created: now() - 86_400,
    currency: input.currency ?? "usd",
    custom_unit_amount: input.customerChooses ? { maximum: null, minimum: null, preset: null } : null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: `prod_${input.id.slice("price_".length)}`,
    recurring: input.recurring ? { interval: "month", interval_count: 1, meter: null, trial_period_days: null, usage_type: "licensed" } : null,
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: input.recurring ? "recurring" : "one_time",
    unit_amount: input.customerChooses ? null : input.unitAmount,
    unit_amount_decimal: input.customerChooses ? null : String(input.unitAmount),
  };
}

export function customer(input: { id?: string; email?: string | null; metadata?: Record<string, string> } = {}): StripeObject {
  return {
    id: input.id ?? stripeId("cus", 14),
    object: "customer",
    address: null,
    balance: 0,
    created: now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    email: input.email ?? null,
    invoice_prefix: stripeId("", 8).slice(1).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: input.metadata ?? {},
    name: null,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}

export interface SubscriptionInput {
  id?: string;
  customer: string;
  price: StripeObject;
  status?: Stripe.Subscription.Status;
  /** Unix seconds; default: a month from now. */
  currentPeriodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  metadata?: Record<string, string>;
  created?: number;
}

export function subscription(input: SubscriptionInput): StripeObject {
  const id = input.id ?? stripeId("sub");
  const created = input.created ?? now();
  const periodEnd = input.currentPeriodEnd ?? created + MONTH;
  const status = input.status ?? "active";
  const ended = status === "canceled" || status === "incomplete_expired";
  return {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: periodEnd - MONTH,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: { proration_discounts: "included" }, type: "flexible", updated_at: created },
    billing_thresholds: null,
    cancel_at: input.cancelAt ?? null,
    cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
    canceled_at: ended ? now() : null,
    cancellation_details: { comment: null, feedback: null, reason: ended ? "cancellation_requested" : null },
    collection_method: "charge_automatically",
    created,
    currency: input.price["currency"],
    customer: input.customer,
    days_until_due: null,
    default_payment_method: stripeId("pm"),
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: ended ? now() : null,
    invoice_settings: { account_tax_ids: null, issuer: { type: "self" } },
    items: list(
      [
        {
          id: stripeId("si", 14),
          object: "subscription_item",
          billing_thresholds: null,
          created,
          current_period_end: periodEnd,
          current_period_start: periodEnd - MONTH,
          discounts: [],
          metadata: {},
          plan: { id: input.price.id, object: "plan", active: true, amount: input.price["unit_amount"], currency: input.price["currency"], interval: "month", interval_count: 1 },
          price: input.price,
          quantity: 1,
          subscription: id,
          tax_rates: [],
        },
      ],
      `/v1/subscription_items?subscription=${id}`,
    ),
    latest_invoice: stripeId("in"),
    livemode: false,
    metadata: input.metadata ?? {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: created,
    status,
    test_clock: null,
    transfer_data: null,
    trial_end: status === "trialing" ? periodEnd : null,
    trial_settings: { end_behavior: { missing_payment_method: "create_invoice" } },
    trial_start: status === "trialing" ? created : null,
  };
}

/**
 * A Checkout session's line item ("object": "item", id li_…), as GET /v1/checkout/sessions/:id/line_items
 * and `expand: ["line_items"]` return it: the full Price embedded, amounts in the currency the customer pays
 * (shape: stripe-node 23 LineItem type, types/LineItems.d.ts; API reference "Retrieve a Checkout Session's
 * line items"). amount_subtotal is before discounts and tax, amount_total after them.
 */
export function lineItem(input: { price: StripeObject; quantity: number; unitAmount?: number; currency?: string; discount?: number }): StripeObject {
  const subtotal = (input.unitAmount ?? ((input.price["unit_amount"] as number | null) ?? 0)) * input.quantity;
  const discount = Math.min(subtotal, input.discount ?? 0);
  return {
    id: stripeId("li", 24),
    object: "item",
    adjustable_quantity: null,
    amount_discount: discount,
    amount_subtotal: subtotal,
    amount_tax: 0,
    amount_total: subtotal - discount,
    currency: input.currency ?? input.price["currency"],
    description: `Product ${String(input.price["product"])}`,
    metadata: {},
    price: structuredClone(input.price),
    quantity: input.quantity,
  };
}

export function checkoutSession(input: {
  mode: "payment" | "subscription" | "setup";
  items: StripeObject[];
  customer: string | null;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  successUrl: string | null;
  cancelUrl: string | null;
}): StripeObject {
  const id = stripeId("cs_test", 58);
  return {
    id,
    object: "checkout.session",
    after_expiration: null,
    allow_promotion_codes: null,
    ...sessionAmounts(input.items),
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    client_secret: null,
    consent: null,
    created: now(),
    custom_fields: [],
    customer: input.customer,
    customer_creation: input.customer ? null : input.mode === "payment" ? "if_required" : "always",
    customer_details: null,
    customer_email: null,
    expires_at: now() + 86_400,
    invoice: null,
    livemode: false,
    locale: null,
    metadata: input.metadata,
    mode: input.mode,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: input.mode === "subscription" ? "always" : null,
    payment_method_types: ["card"],
    payment_status: "unpaid",
    recovered_from: null,
    setup_intent: null,
    shipping_address_collection: null,
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: input.successUrl,
    ui_mode: "hosted",
    url: `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0${stripeId("", 60).slice(1)}`,
  };
}

/** The session's totals, the sums of its line items (Stripe keeps them in step). */
export function sessionAmounts(items: StripeObject[]) {
  const sum = (key: string) => items.reduce((total, item) => total + (item[key] as number), 0);
  return {
    amount_subtotal: sum("amount_subtotal"),
    amount_total: sum("amount_total"),
    currency: items[0]?.["currency"] ?? null,
    total_details: { amount_discount: sum("amount_discount"), amount_shipping: 0, amount_tax: sum("amount_tax") },
  };
}

export function portalSession(input: { customer: string; returnUrl: string | null }): StripeObject {
  const id = stripeId("bps");
  return {
    id,
    object: "billing_portal.session",
    configuration: stripeId("bpc"),
    created: now(),
    customer: input.customer,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: input.returnUrl,
    url: `https://billing.stripe.com/p/session/test_${stripeId("", 40).slice(1)}`,
  };
}

export function charge(input: { amount: number; currency: string; customer: string | null; paymentIntent: string; metadata?: Record<string, string> }): StripeObject {
  const id = stripeId("ch");
  return {
    id,
    object: "charge",
    amount: input.amount,
    amount_captured: input.amount,
    amount_refunded: 0,
    balance_transaction: stripeId("txn"),
    billing_details: { address: null, email: null, name: null, phone: null },
    captured: true,
    created: now(),
    currency: input.currency,
    customer: input.customer,
    description: null,
    disputed: false,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: input.metadata ?? {},
    outcome: { network_status: "approved_by_network", reason: null, risk_level: "normal", seller_message: "Payment complete.", type: "authorized" },
    paid: true,
    payment_intent: input.paymentIntent,
    payment_method: stripeId("pm"),
    receipt_url: null,
    refunded: false,
    refunds: list([], `/v1/charges/${id}/refunds`),
    status: "succeeded",
  };
}

export function dispute(input: { charge: StripeObject }): StripeObject {
  return {
    id: stripeId("dp"),
    object: "dispute",
    amount: input.charge["amount"],
    balance_transactions: [],
    charge: input.charge.id,
    created: now(),
    currency: input.charge["currency"],
    evidence_details: { due_by: now() + 7 * 86_400, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: input.charge["payment_intent"],
    reason: "fraudulent",
    status: "needs_response",
  };
}

export function invoice(input: { subscription: StripeObject; paid: boolean; attempt?: number }): StripeObject {
  const item = (input.subscription["items"] as { data: { current_period_end: number; price: StripeObject }[] }).data[0]!;
  const amount = item.price["unit_amount"] as number;
  const attempt = input.attempt ?? 1;
  const id = stripeId("in");
  return {
    id,
    object: "invoice",
    account_country: "US",
    amount_due: amount,
    amount_paid: input.paid ? amount : 0,
    amount_remaining: input.paid ? 0 : amount,
    attempt_count: attempt,
    attempted: true,
    auto_advance: !input.paid,
    billing_reason: "subscription_cycle",
    collection_method: "charge_automatically",
    created: now(),
    currency: input.subscription["currency"],
    customer: input.subscription["customer"],
    hosted_invoice_url: `https://invoice.stripe.com/i/acct_test/test_${id.slice(3)}`,
    lines: list([], `/v1/invoices/${id}/lines`),
    livemode: false,
    metadata: {},
    next_payment_attempt: input.paid ? null : now() + 3 * 86_400,
    number: `TEST-${attempt.toString().padStart(4, "0")}`,
    parent: {
      quote_details: null,
      subscription_details: { metadata: input.subscription["metadata"], subscription: input.subscription.id },
      type: "subscription_details",
    },
    period_end: item.current_period_end,
    period_start: item.current_period_end - MONTH,
    status: input.paid ? "paid" : "open",
    status_transitions: { finalized_at: now(), marked_uncollectible_at: null, paid_at: input.paid ? now() : null, voided_at: null },
    subtotal: amount,
    total: amount,
  };
}

/** A full event as Stripe posts it to a webhook endpoint; the object is a snapshot (deep copy). */
export function event(type: Stripe.Event.Type, object: StripeObject, options: { id?: string; created?: number } = {}): StripeObject {
  return {
    id: options.id ?? stripeId("evt"),
    object: "event",
    api_version: Stripe.API_VERSION,
    created: options.created ?? now(),
    data: { object: structuredClone(object) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}
