// Credits come from what was sold, not from the session's metadata: the webhook reads the session's line
// items back from (the fake) Stripe and grants the configured pack whose price was paid, at that price's
// amount and currency. Anything else is recorded with its reason and never credited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCreditsCheckout } from "../../src/billing/checkout.ts";
import { FakeStripe, type StripeObject } from "../fakes/stripe/index.ts";
import { createUser } from "../helpers/fixtures.ts";
import { balance, boughtCredits, lastSession } from "./flows.ts";
import { PRICES, startBilling, type BillingHarness } from "./harness.ts";

let fake: FakeStripe;
let h: BillingHarness;
beforeAll(async () => {
  fake = await FakeStripe.start({
    prices: [
      ...PRICES,
      { id: "price_tshirt", unitAmount: 2500, recurring: false },
      // A pack on a "customers choose what to pay" price: the amount is the customer's.
      { id: "price_tip", unitAmount: 0, recurring: false, customerChooses: true },
    ],
  });
  h = await startBilling({ fake, env: { STRIPE_CREDIT_PACKS: "small:price_small:100,large:price_large:600,tip:price_tip:50" } });
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const ok = { status: 200, body: { received: true } };

function purchaseOf(session: StripeObject) {
  return h.db.prisma.purchase.findUnique({ where: { stripeId: session.id } });
}

/** A payment session someone made on the same Stripe account with our metadata, for `price`. */
async function foreignSession(userId: string, price: string, quantity = 1) {
  await h.stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price, quantity }],
    metadata: { userId, kind: "credits", pack: "large", credits: "600" },
    success_url: "https://bot.example.test/billing/success",
  });
  return h.fake.completeCheckout(lastSession(h).id).session;
}

describe("a session Stripe cannot give back", () => {
  it("unknown to Stripe (404): acknowledged once so Stripe stops redelivering, logged, nothing credited; a Stripe 500 still retries", async () => {
    const user = await createUser(h.db.prisma);
    await createCreditsCheckout(h.stripe, h.db.prisma, h.config, { user, pack: "large" });
    const { session } = h.fake.completeCheckout(lastSession(h).id);
    // The event names a session this Stripe account does not have (deleted, or sent by the other mode's webhook).
    const missing = { ...session, id: "cs_test_not_on_this_account" };
    const e = h.fake.event("checkout.session.completed", missing);
    expect(await h.deliver(e)).toEqual(ok);
    expect(h.fake.callsTo("GET", `/v1/checkout/sessions/${missing.id}`).map((c) => c.status)).toEqual([404]);
    expect((await balance(h, user.id)) ?? 0).toBe(0);
    expect(await purchaseOf(missing)).toBeNull();
    const logged = h.logs.filter((l) => l["sessionId"] === missing.id);
    expect(logged).toEqual([expect.objectContaining({ level: 50, msg: expect.stringContaining("not credited") })]);
    expect(JSON.stringify(logged)).not.toMatch(/sk_|whsec_/);
    expect(await h.deliver(e)).toMatchObject({ status: 200 });
    expect(h.logs.filter((l) => l["sessionId"] === missing.id)).toHaveLength(1);

    // Stripe failing (500 on the first try and both retries) is not "missing": 500, and the redelivery credits.
    const paid = h.fake.event("checkout.session.completed", session);
    h.fake.failNext("GET", `/v1/checkout/sessions/${session.id}`, 3);
    expect((await h.deliver(paid)).status).toBe(500);
    expect((await balance(h, user.id)) ?? 0).toBe(0);
    expect(await h.deliver(paid)).toEqual(ok);
    expect(await balance(h, user.id)).toBe(600);
  });
});

describe("granted from the price paid", () => {
  it("a pack grants exactly its credits, once, read from the session's line items", async () => {
    const user = await createUser(h.db.prisma);
    const { session } = await boughtCredits(h, user, "large");
    expect(session["metadata"]).toEqual({ userId: user.id, kind: "credits" });
    const completed = h.fake.event("checkout.session.completed", session);
    expect(await h.deliver(completed)).toEqual(ok);
    expect(await h.deliver(h.fake.event("checkout.session.completed", session))).toEqual(ok);
    expect(await balance(h, user.id)).toBe(600);
    expect(await purchaseOf(session)).toMatchObject({ stripePriceId: "price_large", creditsAdded: 600, packageName: "large", rejectedReason: null });
    expect(h.fake.callsTo("GET", `/v1/checkout/sessions/${session.id}`).map((c) => c.query)).toContainEqual({ expand: ["line_items"] });
  });

  it("metadata edited to credits 999999 (or left from an older session) changes nothing: the price decides", async () => {
    const user = await createUser(h.db.prisma);
    await createCreditsCheckout(h.stripe, h.db.prisma, h.config, { user, pack: "small" });
    const stored = lastSession(h);
    stored["metadata"] = { userId: user.id, kind: "credits", pack: "large", credits: "999999" };
    const { session } = h.fake.completeCheckout(stored.id);
    expect(await h.deliver(h.fake.event("checkout.session.completed", session))).toEqual(ok);
    expect(await balance(h, user.id)).toBe(100);
    expect(await purchaseOf(session)).toMatchObject({ creditsAdded: 100, packageName: "small", amountCents: 299 });
  });

  it("a 100% discount (no payment required) still grants the pack, recording 0 paid", async () => {
    const user = await createUser(h.db.prisma);
    await createCreditsCheckout(h.stripe, h.db.prisma, h.config, { user, pack: "small" });
    const { session } = h.fake.completeCheckout(lastSession(h).id, { discount: 299 });
    expect(session["payment_status"]).toBe("no_payment_required");
    expect(await h.deliver(h.fake.event("checkout.session.completed", session))).toEqual(ok);
    expect(await balance(h, user.id)).toBe(100);
    expect(await purchaseOf(session)).toMatchObject({ creditsAdded: 100, amountCents: 0, rejectedReason: null });
  });
});

describe("recorded, never credited", () => {
  it.each([
    ["a session for another price", () => ({ price: "price_tshirt", quantity: 1 }), /price_tshirt is not a configured credit pack/],
    ["three of a pack in one line", () => ({ price: "price_small", quantity: 3 }), /quantity 3/],
  ])("%s", async (_what, line, reason) => {
    const user = await createUser(h.db.prisma);
    const { price, quantity } = line();
    const session = await foreignSession(user.id, price, quantity);
    expect(await h.deliver(h.fake.event("checkout.session.completed", session))).toEqual(ok);
    expect(await balance(h, user.id)).toBeUndefined();
    expect(await purchaseOf(session)).toMatchObject({ userId: user.id, stripePriceId: price, creditsAdded: 0, rejectedReason: expect.stringMatching(reason) });
    expect(h.logs).toContainEqual(expect.objectContaining({ sessionId: session.id, reason: expect.stringMatching(reason), msg: expect.stringContaining("not credited") }));
  });

  it("a pack paid in another currency than its price's", async () => {
    const user = await createUser(h.db.prisma);
    await createCreditsCheckout(h.stripe, h.db.prisma, h.config, { user, pack: "large" });
    const { session, charge } = h.fake.completeCheckout(lastSession(h).id, { currency: "eur", amount: 1199 });
    expect(await h.deliver(h.fake.event("checkout.session.completed", session))).toEqual(ok);
    expect(await balance(h, user.id)).toBeUndefined();
    expect(await purchaseOf(session)).toMatchObject({ creditsAdded: 0, currency: "eur", amountCents: 1199, rejectedReason: expect.stringMatching(/paid in eur.*usd/) });
    // Refunding it takes nothing back: nothing was granted.
    expect(await h.deliver(h.fake.event("charge.refunded", h.fake.refundCharge(charge!.id)))).toEqual(ok);
    expect(await balance(h, user.id)).toBeUndefined();
  });

  it("a pack whose price lets the customer choose the amount", async () => {
    const user = await createUser(h.db.prisma);
    await createCreditsCheckout(h.stripe, h.db.prisma, h.config, { user, pack: "tip" });
    const { session } = h.fake.completeCheckout(lastSession(h).id, { amount: 1 });
    expect(await h.deliver(h.fake.event("checkout.session.completed", session))).toEqual(ok);
    expect(await balance(h, user.id)).toBeUndefined();
    expect(await purchaseOf(session)).toMatchObject({ creditsAdded: 0, amountCents: 1, rejectedReason: expect.stringMatching(/not a one-time price with a fixed amount/) });
  });
});

it("Stripe failing while the line items are read → 500 and nothing recorded; the redelivery grants the pack", async () => {
  const user = await createUser(h.db.prisma);
  const { session } = await boughtCredits(h, user, "small");
  const e = h.fake.event("checkout.session.completed", session);
  const path = `/v1/checkout/sessions/${session.id}`;
  h.fake.failNext("GET", path, 3); // the first try and the client's two retries
  expect((await h.deliver(e)).status).toBe(500);
  expect(await h.db.prisma.stripeWebhookEvent.findUnique({ where: { id: e.id } })).toBeNull();
  expect(await purchaseOf(session)).toBeNull();
  expect(await h.deliver(e)).toEqual(ok);
  expect(await balance(h, user.id)).toBe(100);
});
