// The checkout and portal services against the fake Stripe: the URL comes back and the session Stripe
// stores carries what the webhook needs (the user, the kind, the tier or pack).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCreditsCheckout, createSubscriptionCheckout } from "../../src/billing/checkout.ts";
import { createPortalSession } from "../../src/billing/portal.ts";
import { BILLING_NOT_SET_UP, requireStripe } from "../../src/billing/require-stripe.ts";
import { parseConfig } from "../../src/config.ts";
import { UserError } from "../../src/errors.ts";
import { createUser } from "../helpers/fixtures.ts";
import { lastSession } from "./flows.ts";
import { startBilling, type BillingHarness } from "./harness.ts";

let h: BillingHarness;
beforeAll(async () => {
  h = await startBilling();
});
afterAll(async () => {
  await h?.close();
});

const lastCall = (path: string) => h.fake.callsTo("POST", path).at(-1)!;

describe("createSubscriptionCheckout", () => {
  it("returns the Checkout URL of a subscription session that names the user and the tier", async () => {
    const user = await createUser(h.db.prisma);
    const url = await createSubscriptionCheckout(h.stripe, h.db.prisma, h.config, { user, tier: "OVERLORD" });
    const session = lastSession(h);
    expect(url).toBe(session["url"]);
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    expect(session).toMatchObject({
      mode: "subscription",
      client_reference_id: user.id,
      metadata: { userId: user.id, kind: "subscription", tier: "OVERLORD" },
      customer: null,
      success_url: "https://bot.example.test/billing/success",
      cancel_url: "https://bot.example.test/billing/canceled",
    });
    expect(lastCall("/v1/checkout/sessions").body).toMatchObject({
      line_items: [{ price: "price_overlord", quantity: "1" }],
      subscription_data: { metadata: { userId: user.id, tier: "OVERLORD" } },
    });
  });

  it("reuses the user's Stripe customer, and refuses a second live subscription", async () => {
    const user = await createUser(h.db.prisma);
    const customer = h.fake.createCustomer();
    await h.db.prisma.subscription.create({ data: { userId: user.id, status: "CANCELED", stripeCustomerId: customer.id, stripeSubscriptionId: "sub_old" } });
    await createSubscriptionCheckout(h.stripe, h.db.prisma, h.config, { user, tier: "OPERATOR" });
    expect(lastSession(h)["customer"]).toBe(customer.id);

    await h.db.prisma.subscription.update({ where: { userId: user.id }, data: { status: "ACTIVE", tier: "OPERATOR" } });
    await expect(createSubscriptionCheckout(h.stripe, h.db.prisma, h.config, { user, tier: "OVERLORD" })).rejects.toThrow(
      "You already have the Operator tier. Use `/billing` to change plans, update your card or cancel.",
    );
  });

  it("refuses a tier whose price is not configured", async () => {
    const user = await createUser(h.db.prisma);
    const config = { ...h.config, STRIPE_PRICE_OVERLORD: undefined };
    await expect(createSubscriptionCheckout(h.stripe, h.db.prisma, config, { user, tier: "OVERLORD" })).rejects.toThrow(
      new UserError("The Overlord tier is not for sale on this bot."),
    );
  });
});

describe("createCreditsCheckout", () => {
  it("returns the URL of a payment session for the pack's price whose metadata names only the user", async () => {
    const user = await createUser(h.db.prisma);
    const url = await createCreditsCheckout(h.stripe, h.db.prisma, h.config, { user, pack: "large" });
    const session = lastSession(h);
    expect(url).toBe(session["url"]);
    expect(session).toMatchObject({
      mode: "payment",
      client_reference_id: user.id,
      metadata: { userId: user.id, kind: "credits" },
      amount_total: 1299,
    });
    expect(lastCall("/v1/checkout/sessions").body).toMatchObject({ line_items: [{ price: "price_large", quantity: "1" }] });
  });

  it("names the packs when asked for one that does not exist", async () => {
    const user = await createUser(h.db.prisma);
    await expect(createCreditsCheckout(h.stripe, h.db.prisma, h.config, { user, pack: "huge" })).rejects.toThrow(
      'There is no credit pack called "huge". Packs: `small`, `large`.',
    );
  });
});

describe("createPortalSession", () => {
  it("is refused (UserError) before the user has a Stripe customer", async () => {
    const user = await createUser(h.db.prisma);
    await expect(createPortalSession(h.stripe, h.db.prisma, h.config, { user })).rejects.toBeInstanceOf(UserError);
  });

  it("returns the portal URL for the user's customer, returning to our page", async () => {
    const user = await createUser(h.db.prisma);
    const customer = h.fake.createCustomer();
    await h.db.prisma.subscription.create({ data: { userId: user.id, status: "ACTIVE", tier: "OPERATOR", stripeCustomerId: customer.id } });
    const url = await createPortalSession(h.stripe, h.db.prisma, h.config, { user });
    expect(url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\/test_/);
    expect(lastCall("/v1/billing_portal/sessions").body).toEqual({ customer: customer.id, return_url: "https://bot.example.test/billing/done" });
  });
});

describe("requireStripe", () => {
  it("tells the user billing is not set up when there is no secret key", () => {
    expect(() => requireStripe(parseConfig({ NODE_ENV: "test" }))).toThrow(new UserError(BILLING_NOT_SET_UP));
  });

  it("reuses one client per configuration", () => {
    expect(requireStripe(h.config)).toBe(requireStripe(h.config));
  });
});
