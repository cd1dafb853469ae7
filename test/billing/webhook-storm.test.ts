// Stripe delivers at least once, duplicated and in any order, sometimes at the same time. A user's whole
// billing history delivered as a storm (shuffled, repeated, concurrent, 500s retried as Stripe would) must
// end in the same rows as the same history delivered once, in order.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { StripeObject } from "../fakes/stripe/index.ts";
import { createUser } from "../helpers/fixtures.ts";
import { boughtCredits, periodEnd, subscribed } from "./flows.ts";
import { startBilling, type BillingHarness } from "./harness.ts";

let h: BillingHarness;
beforeAll(async () => {
  h = await startBilling();
});
afterAll(async () => {
  await h?.close();
});

/** One user's history on the fake Stripe, and the events it produced, in the order Stripe created them. */
async function history(): Promise<{ userId: string; subscription: StripeObject; events: StripeObject[] }> {
  const user = await createUser(h.db.prisma);
  const { session, subscription } = await subscribed(h, "OPERATOR", user);
  const events = [
    h.fake.event("customer.subscription.created", subscription),
    h.fake.event("checkout.session.completed", session),
    h.fake.event("invoice.paid", h.fake.invoiceFor(subscription.id, { paid: true })),
  ];
  // Upgrade, then schedule the cancellation.
  events.push(h.fake.event("customer.subscription.updated", h.fake.updateSubscription(subscription.id, { price: "price_overlord" })));
  events.push(h.fake.event("customer.subscription.updated", h.fake.updateSubscription(subscription.id, { cancelAtPeriodEnd: true })));
  // A paid pack; a bank-debit pack that settles later; a pack refunded; a pack disputed.
  const paid = await boughtCredits(h, user, "small");
  events.push(h.fake.event("checkout.session.completed", paid.session));
  const slow = await boughtCredits(h, user, "large", { paid: false });
  events.push(h.fake.event("checkout.session.completed", slow.session));
  events.push(h.fake.event("checkout.session.async_payment_succeeded", h.fake.settleAsyncPayment(slow.session.id, true)));
  const refunded = await boughtCredits(h, user, "small");
  events.push(h.fake.event("checkout.session.completed", refunded.session));
  events.push(h.fake.event("charge.refunded", h.fake.refundCharge(refunded.charge.id)));
  const disputed = await boughtCredits(h, user, "large");
  events.push(h.fake.event("checkout.session.completed", disputed.session));
  events.push(h.fake.event("charge.dispute.created", h.fake.disputeCharge(disputed.charge.id)));
  return { userId: user.id, subscription: h.fake.subscriptions.get(subscription.id)!, events };
}

/** What a user's billing rows say, without ids and timestamps that differ between two users. */
async function state(userId: string, subscription: StripeObject) {
  const sub = await h.db.prisma.subscription.findUnique({ where: { userId } });
  const purchases = await h.db.prisma.purchase.findMany({ where: { userId } });
  const balance = (await h.db.prisma.credit.findUnique({ where: { userId } }))?.balance;
  const ledger = await h.db.prisma.creditLedger.aggregate({ where: { userId }, _sum: { delta: true } });
  return {
    subscription: sub && {
      tier: sub.tier,
      status: sub.status,
      cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
      tracksIt: sub.stripeSubscriptionId === subscription.id && sub.stripeCustomerId === subscription["customer"],
      periodEndFromStripe: sub.currentPeriodEnd?.getTime() === periodEnd(subscription).getTime(),
    },
    balance,
    // Each change wrote its ledger row in its own transaction: the rows add up to the balance, whatever the order.
    ledgerAddsUp: (ledger._sum.delta ?? 0) === (balance ?? 0),
    purchases: purchases.map((p) => `${p.packageName}:${p.creditsAdded}:${p.amountCents}:${p.refundedAt ? "refunded" : "kept"}`).sort(),
  };
}

/** Delivers like Stripe: anything but a 2xx is retried. */
async function deliverUntilAccepted(event: StripeObject): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const res = await h.deliver(event);
    if (res.status === 200) return;
    if (attempt === 5) throw new Error(`event ${event.id} (${String(event["type"])}) still answered ${res.status}`);
  }
}

it("an ordered delivery gives the expected rows", async () => {
  const { userId, subscription, events } = await history();
  for (const e of events) await deliverUntilAccepted(e);
  expect(await state(userId, subscription)).toEqual({
    subscription: { tier: "OVERLORD", status: "ACTIVE", cancelAtPeriodEnd: true, tracksIt: true, periodEndFromStripe: true },
    balance: 100 + 600,
    ledgerAddsUp: true,
    purchases: ["large:600:1299:kept", "large:600:1299:refunded", "small:100:299:kept", "small:100:299:refunded"],
  });
});

it("a storm of duplicated, reordered and concurrent deliveries ends in the same rows", async () => {
  await fc.assert(
    fc.asyncProperty(fc.infiniteStream(fc.nat()), fc.integer({ min: 1, max: 6 }), async (randoms, concurrency) => {
      const ordered = await history();
      for (const e of ordered.events) await deliverUntilAccepted(e);

      const stormed = await history();
      const next = randoms[Symbol.iterator]();
      const rand = () => next.next().value as number;
      // Each event one to three times, then shuffled.
      const storm = stormed.events.flatMap((e) => Array.from({ length: 1 + (rand() % 3) }, () => e));
      for (let i = storm.length - 1; i > 0; i--) {
        const j = rand() % (i + 1);
        [storm[i], storm[j]] = [storm[j]!, storm[i]!];
      }
      for (let i = 0; i < storm.length; i += concurrency) await Promise.all(storm.slice(i, i + concurrency).map(deliverUntilAccepted));

      expect(await state(stormed.userId, stormed.subscription)).toEqual(await state(ordered.userId, ordered.subscription));
    }),
    { numRuns: 6 },
  );
});
