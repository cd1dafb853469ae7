// applyStripeEvent directly: the payment-failed hook runs inside the event's transaction, so its failure
// rolls the whole event back (state and event id) and a redelivery applies it once.
import type Stripe from "stripe";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PaymentFailed } from "../../src/billing/payment-failed.ts";
import { applyStripeEvent, type EventContext } from "../../src/billing/webhook/apply.ts";
import { createLogger } from "../../src/logger.ts";
import type { StripeObject } from "../fakes/stripe/index.ts";
import { row, subscribed } from "./flows.ts";
import { startBilling, type BillingHarness } from "./harness.ts";

let h: BillingHarness;
beforeAll(async () => {
  h = await startBilling();
});
afterAll(async () => {
  await h?.close();
});

const asEvent = (e: StripeObject) => e as unknown as Stripe.Event;

it("calls the payment-failed hook in the transaction; a failing hook rolls everything back", async () => {
  const { user, session, subscription } = await subscribed(h);
  await h.deliver(h.fake.event("checkout.session.completed", session));
  h.fake.updateSubscription(subscription.id, { status: "past_due" });
  const invoice = h.fake.invoiceFor(subscription.id, { paid: false, attempt: 2 });
  const event = asEvent(h.fake.event("invoice.payment_failed", invoice));

  const seen: PaymentFailed[] = [];
  let fail = true;
  const ctx: EventContext = {
    config: h.config,
    logger: createLogger({ level: "silent" }),
    onPaymentFailed: async (tx, failed) => {
      // Inside the transaction, the new state is already visible.
      expect((await tx.subscription.findUnique({ where: { userId: failed.userId } }))?.status).toBe("PAST_DUE");
      seen.push(failed);
      if (fail) throw new Error("notifier down");
    },
  };

  await expect(applyStripeEvent(h.db.prisma, h.stripe, event, ctx)).rejects.toThrow("notifier down");
  expect((await row(h, user.id))?.status).toBe("ACTIVE");
  expect(await h.db.prisma.stripeWebhookEvent.findUnique({ where: { id: event.id } })).toBeNull();

  fail = false;
  expect(await applyStripeEvent(h.db.prisma, h.stripe, event, ctx)).toMatchObject({ duplicate: false });
  expect(await applyStripeEvent(h.db.prisma, h.stripe, event, ctx)).toEqual({ duplicate: true, outcome: "duplicate" });
  expect((await row(h, user.id))?.status).toBe("PAST_DUE");
  expect(seen).toHaveLength(2);
  expect(seen[1]).toEqual({
    userId: user.id,
    invoiceId: invoice.id,
    subscriptionId: subscription.id,
    attempt: 2,
    amountDueCents: 500,
    currency: "usd",
    nextAttemptAt: expect.any(Date),
    hostedInvoiceUrl: expect.stringMatching(/^https:\/\/invoice\.stripe\.com\//),
    dedupeKey: `stripe:invoice-payment-failed:${invoice.id}:2`,
  });
});

it("concurrent deliveries of one event apply it once", async () => {
  const { user, session } = await subscribed(h);
  const event = asEvent(h.fake.event("checkout.session.completed", session));
  const ctx: EventContext = { config: h.config, logger: createLogger({ level: "silent" }), onPaymentFailed: async () => {} };
  const results = await Promise.all(Array.from({ length: 5 }, () => applyStripeEvent(h.db.prisma, h.stripe, event, ctx)));
  expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  expect(await row(h, user.id)).toMatchObject({ status: "ACTIVE" });
});
