// A user's purchases, the way they happen: our checkout services create the sessions on the fake Stripe,
// the "customer" completes them there, and the events Stripe would send are built from the fake's objects.
import { createCreditsCheckout, createSubscriptionCheckout } from "../../src/billing/checkout.ts";
import type { PaidTier } from "../../src/billing/prices.ts";
import type { StripeObject } from "../fakes/stripe/index.ts";
import { createUser } from "../helpers/fixtures.ts";
import type { BillingHarness } from "./harness.ts";

export function lastSession(h: BillingHarness): StripeObject {
  const session = [...h.fake.checkoutSessions.values()].at(-1);
  if (!session) throw new Error("no checkout session was created");
  return session;
}

export async function subscribed(h: BillingHarness, tier: PaidTier = "OPERATOR", user?: { id: string }) {
  const owner = user ?? (await createUser(h.db.prisma));
  await createSubscriptionCheckout(h.stripe, h.db.prisma, h.config, { user: owner, tier });
  const { session, subscription } = h.fake.completeCheckout(lastSession(h).id);
  return { user: owner, session, subscription: subscription! };
}

export async function boughtCredits(h: BillingHarness, user: { id: string }, pack: "small" | "large", options: { paid?: boolean } = {}) {
  await createCreditsCheckout(h.stripe, h.db.prisma, h.config, { user, pack });
  const { session, charge } = h.fake.completeCheckout(lastSession(h).id, options);
  return { session, charge: charge! };
}

export function row(h: BillingHarness, userId: string) {
  return h.db.prisma.subscription.findUnique({ where: { userId } });
}

export async function balance(h: BillingHarness, userId: string): Promise<number | undefined> {
  return (await h.db.prisma.credit.findUnique({ where: { userId } }))?.balance;
}

export function periodEnd(subscription: StripeObject): Date {
  const items = subscription["items"] as { data: { current_period_end: number }[] };
  return new Date(items.data[0]!.current_period_end * 1000);
}
