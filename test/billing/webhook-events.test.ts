// Each handled event type, through the signed HTTP route, against the fake Stripe: the rows it leaves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spendCredits } from "../../src/billing/credits.ts";
import { createUser } from "../helpers/fixtures.ts";
import { balance, boughtCredits, periodEnd, row, subscribed } from "./flows.ts";
import { startBilling, type BillingHarness } from "./harness.ts";

let h: BillingHarness;
beforeAll(async () => {
  h = await startBilling();
});
afterAll(async () => {
  await h?.close();
});

const ok = { status: 200, body: { received: true } };
const duplicate = { status: 200, body: { received: true, duplicate: true } };

describe("subscriptions", () => {
  it("checkout.session.completed (subscription) stores the customer, subscription, tier and period", async () => {
    const { user, session, subscription } = await subscribed(h, "OPERATOR");
    expect(await h.deliver(h.fake.event("checkout.session.completed", session))).toEqual(ok);
    expect(await row(h, user.id)).toMatchObject({
      tier: "OPERATOR",
      status: "ACTIVE",
      cancelAtPeriodEnd: false,
      stripeCustomerId: session["customer"],
      stripeSubscriptionId: subscription.id,
      currentPeriodEnd: periodEnd(subscription),
    });
  });

  it("customer.subscription.created before the checkout event finds the user from the subscription's metadata", async () => {
    const { user, subscription } = await subscribed(h, "OVERLORD");
    expect(await h.deliver(h.fake.event("customer.subscription.created", subscription))).toEqual(ok);
    expect(await row(h, user.id)).toMatchObject({ tier: "OVERLORD", status: "ACTIVE", stripeSubscriptionId: subscription.id });
  });

  it("customer.subscription.updated re-fetches: a stale payload still stores what the API says now", async () => {
    const { user, session, subscription } = await subscribed(h, "OPERATOR");
    await h.deliver(h.fake.event("checkout.session.completed", session));
    const stalePayload = h.fake.event("customer.subscription.updated", subscription); // still OPERATOR, not canceling
    const now = h.fake.updateSubscription(subscription.id, { price: "price_overlord", cancelAtPeriodEnd: true });
    expect(await h.deliver(stalePayload)).toEqual(ok);
    expect(await row(h, user.id)).toMatchObject({ tier: "OVERLORD", status: "ACTIVE", cancelAtPeriodEnd: true, currentPeriodEnd: periodEnd(now) });
    expect(h.fake.callsTo("GET", `/v1/subscriptions/${subscription.id}`).length).toBeGreaterThan(0);
  });

  it("a portal cancellation that sets cancel_at counts as ending at the period end", async () => {
    const { user, subscription } = await subscribed(h);
    const changed = h.fake.updateSubscription(subscription.id, { cancelAt: periodEnd(subscription).getTime() / 1000 });
    await h.deliver(h.fake.event("customer.subscription.updated", changed));
    expect(await row(h, user.id)).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: true });
  });

  it("customer.subscription.deleted → CANCELED", async () => {
    const { user, session, subscription } = await subscribed(h);
    await h.deliver(h.fake.event("checkout.session.completed", session));
    const ended = h.fake.updateSubscription(subscription.id, { status: "canceled" });
    expect(await h.deliver(h.fake.event("customer.subscription.deleted", ended))).toEqual(ok);
    expect(await row(h, user.id)).toMatchObject({ status: "CANCELED", stripeSubscriptionId: subscription.id });
  });

  it.each([
    ["active", "ACTIVE"],
    ["trialing", "TRIALING"],
    ["past_due", "PAST_DUE"],
    ["unpaid", "CANCELED"],
    ["incomplete", "CANCELED"],
    ["incomplete_expired", "CANCELED"],
    ["canceled", "CANCELED"],
    ["paused", "CANCELED"],
  ] as const)("maps Stripe status %s to %s", async (stripeStatus, stored) => {
    const { user, subscription } = await subscribed(h);
    const changed = h.fake.updateSubscription(subscription.id, { status: stripeStatus });
    await h.deliver(h.fake.event("customer.subscription.updated", changed));
    expect((await row(h, user.id))?.status).toBe(stored);
  });

  it("invoice.payment_failed → PAST_DUE and the user is told; invoice.paid → ACTIVE again", async () => {
    const { user, session, subscription } = await subscribed(h);
    await h.deliver(h.fake.event("checkout.session.completed", session));
    h.fake.updateSubscription(subscription.id, { status: "past_due" });
    const failed = h.fake.invoiceFor(subscription.id, { paid: false, attempt: 1 });
    expect(await h.deliver(h.fake.event("invoice.payment_failed", failed))).toEqual(ok);
    expect((await row(h, user.id))?.status).toBe("PAST_DUE");
    expect(h.logs).toContainEqual(expect.objectContaining({ userId: user.id, invoiceId: failed.id, attempt: 1, msg: expect.stringContaining("payment failed") }));

    h.fake.updateSubscription(subscription.id, { status: "active" });
    expect(await h.deliver(h.fake.event("invoice.paid", h.fake.invoiceFor(subscription.id, { paid: true, attempt: 2 })))).toEqual(ok);
    expect((await row(h, user.id))?.status).toBe("ACTIVE");
  });

  it("keeps the better of a user's two subscriptions, whichever event comes last", async () => {
    for (const order of ["old-last", "new-last"] as const) {
      const { user, subscription: old } = await subscribed(h, "OVERLORD");
      await h.deliver(h.fake.event("customer.subscription.created", old));
      // The user cancels Overlord and subscribes to Operator with the same customer.
      const oldEnded = h.fake.updateSubscription(old.id, { status: "canceled" });
      const fresh = h.fake.setSubscription({ customer: oldEnded["customer"] as string, price: "price_operator", metadata: { userId: user.id } });
      const events = [h.fake.event("customer.subscription.deleted", oldEnded), h.fake.event("customer.subscription.created", fresh)];
      for (const e of order === "old-last" ? events.reverse() : events) expect(await h.deliver(e)).toEqual(ok);
      expect(await row(h, user.id), order).toMatchObject({ stripeSubscriptionId: fresh.id, tier: "OPERATOR", status: "ACTIVE" });
    }
  });

  it("acknowledges a subscription of nobody we know and writes nothing", async () => {
    const stranger = h.fake.setSubscription({ customer: "cus_stranger", price: "price_operator" });
    expect(await h.deliver(h.fake.event("customer.subscription.created", stranger))).toEqual(ok);
    expect(await h.db.prisma.subscription.findUnique({ where: { stripeSubscriptionId: stranger.id } })).toBeNull();
  });

  it("a live subscription on a price that is not configured fails (500) so Stripe retries after the fix", async () => {
    h.fake.addPrice({ id: "price_legacy", unitAmount: 400, recurring: true });
    const user = await createUser(h.db.prisma);
    const legacy = h.fake.setSubscription({ customer: "cus_legacy", price: "price_legacy", metadata: { userId: user.id } });
    const e = h.fake.event("customer.subscription.created", legacy);
    expect((await h.deliver(e)).status).toBe(500);
    expect(await h.db.prisma.stripeWebhookEvent.findUnique({ where: { id: e.id } })).toBeNull();
    expect(h.logs).toContainEqual(expect.objectContaining({ stripeEventId: e.id, msg: expect.stringContaining("rolled back") }));
  });
});

describe("credit packs", () => {
  it("checkout.session.completed (paid) records the purchase and adds the credits, once", async () => {
    const user = await createUser(h.db.prisma);
    const { session } = await boughtCredits(h, user, "small");
    const completed = h.fake.event("checkout.session.completed", session);
    expect(await h.deliver(completed)).toEqual(ok);
    expect(await h.deliver(completed)).toEqual(duplicate);
    expect(await balance(h, user.id)).toBe(100);
    const purchases = await h.db.prisma.purchase.findMany({ where: { userId: user.id } });
    expect(purchases).toEqual([
      expect.objectContaining({ stripeId: session.id, stripePriceId: "price_small", amountCents: 299, currency: "usd", creditsAdded: 100, packageName: "small", refundedAt: null }),
    ]);
    // Another event about the same session (a different event id) cannot credit it again.
    expect(await h.deliver(h.fake.event("checkout.session.async_payment_succeeded", session))).toEqual(ok);
    expect(await balance(h, user.id)).toBe(100);
  });

  it("an asynchronous payment credits on async_payment_succeeded, not before, and never on failure", async () => {
    const user = await createUser(h.db.prisma);
    const { session } = await boughtCredits(h, user, "large", { paid: false });
    await h.deliver(h.fake.event("checkout.session.completed", session));
    expect(await balance(h, user.id)).toBeUndefined();
    const failedOne = await boughtCredits(h, user, "small", { paid: false });
    await h.deliver(h.fake.event("checkout.session.async_payment_failed", h.fake.settleAsyncPayment(failedOne.session.id, false)));
    expect(await balance(h, user.id)).toBeUndefined();
    await h.deliver(h.fake.event("checkout.session.async_payment_succeeded", h.fake.settleAsyncPayment(session.id, true)));
    expect(await balance(h, user.id)).toBe(600);
  });

  it("charge.refunded (in full) takes the credits back, below zero if they were spent; partial refunds keep them", async () => {
    const user = await createUser(h.db.prisma);
    const { session, charge } = await boughtCredits(h, user, "small");
    await h.deliver(h.fake.event("checkout.session.completed", session));
    await spendCredits(h.db.prisma, user.id, 70, "test lookups");
    expect(await h.deliver(h.fake.event("charge.refunded", h.fake.refundCharge(charge.id, 100)))).toEqual(ok);
    expect(await balance(h, user.id)).toBe(30);
    const full = h.fake.event("charge.refunded", h.fake.refundCharge(charge.id));
    expect(await h.deliver(full)).toEqual(ok);
    expect(await h.deliver(full)).toEqual(duplicate);
    expect(await balance(h, user.id)).toBe(-70);
    expect((await h.db.prisma.purchase.findUnique({ where: { stripeId: session.id } }))?.refundedAt).toBeInstanceOf(Date);
  });

  it("charge.dispute.created takes the credits back; a refund of the same charge later takes nothing more", async () => {
    const user = await createUser(h.db.prisma);
    const { session, charge } = await boughtCredits(h, user, "large");
    await h.deliver(h.fake.event("checkout.session.completed", session));
    expect(await h.deliver(h.fake.event("charge.dispute.created", h.fake.disputeCharge(charge.id)))).toEqual(ok);
    expect(await balance(h, user.id)).toBe(0);
    await h.deliver(h.fake.event("charge.refunded", h.fake.refundCharge(charge.id)));
    expect(await balance(h, user.id)).toBe(0);
  });

  it("a refund seen before its purchase records the purchase as refunded, and the late purchase adds nothing", async () => {
    const user = await createUser(h.db.prisma);
    const { session, charge } = await boughtCredits(h, user, "small");
    const completed = h.fake.event("checkout.session.completed", session);
    await h.deliver(h.fake.event("charge.refunded", h.fake.refundCharge(charge.id)));
    await h.deliver(completed);
    expect(await balance(h, user.id)).toBeUndefined();
    expect(await h.db.prisma.purchase.findUnique({ where: { stripeId: session.id } })).toMatchObject({ creditsAdded: 100, refundedAt: expect.any(Date) });
  });

  it("refunds of subscription charges are not credit packs: acknowledged, nothing changes", async () => {
    const before = await h.db.prisma.credit.aggregate({ _sum: { balance: true } });
    const orphan = { id: "ch_subscription", object: "charge", amount: 500, amount_refunded: 500, refunded: true, payment_intent: "pi_of_an_invoice" };
    expect(await h.deliver(h.fake.event("charge.refunded", orphan))).toEqual(ok);
    expect(await h.db.prisma.credit.aggregate({ _sum: { balance: true } })).toEqual(before);
  });
});

describe("any event", () => {
  it("an unhandled type is acknowledged and recorded, changing nothing else", async () => {
    const e = h.fake.event("customer.created", h.fake.createCustomer());
    expect(await h.deliver(e)).toEqual(ok);
    expect(await h.db.prisma.stripeWebhookEvent.findUnique({ where: { id: e.id } })).toMatchObject({ type: "customer.created" });
  });

  it("a Stripe failure while applying → 500, nothing written (not even the event id); the redelivery succeeds", async () => {
    const { user, subscription } = await subscribed(h);
    const e = h.fake.event("customer.subscription.created", subscription);
    const path = `/v1/subscriptions/${subscription.id}`;
    // createStripe retries twice: fail the first try and both retries.
    h.fake.failNext("GET", path, 3);
    expect((await h.deliver(e)).status).toBe(500);
    expect(h.fake.callsTo("GET", path).map((c) => c.status)).toEqual([500, 500, 500]);
    expect(await h.db.prisma.stripeWebhookEvent.findUnique({ where: { id: e.id } })).toBeNull();
    expect(await row(h, user.id)).toBeNull();

    expect(await h.deliver(e)).toEqual(ok);
    expect(await row(h, user.id)).toMatchObject({ stripeSubscriptionId: subscription.id, status: "ACTIVE" });
    expect(await h.deliver(e)).toEqual(duplicate);
  });
});
