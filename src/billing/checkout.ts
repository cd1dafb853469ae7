// Stripe Checkout sessions: a subscription to a paid tier, or a one-off credit pack. The session carries the
// user (client_reference_id and metadata) so the webhook can credit the right account; what a credit pack
// gives is read from its line items, never from metadata.
import type Stripe from "stripe";
import type { PrismaClient, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { findPack, priceForTier, returnUrl, TIER_LABELS, type BillingConfig, type PaidTier } from "./prices.ts";
import { grantsNow } from "./status.ts";

/** Metadata we put on sessions; the webhook reads it back. Stripe metadata values are strings. */
export interface SubscriptionCheckoutMetadata {
  userId: string;
  kind: "subscription";
  tier: PaidTier;
}
/** Only the user and what kind of session it is: the pack and its credits are read from the line items. */
export interface CreditsCheckoutMetadata {
  userId: string;
  kind: "credits";
}

export async function createSubscriptionCheckout(
  stripe: Stripe,
  prisma: PrismaClient,
  config: BillingConfig,
  input: { user: Pick<User, "id">; tier: PaidTier },
): Promise<string> {
  const price = priceForTier(config, input.tier);
  if (!price) throw new UserError(`The ${TIER_LABELS[input.tier]} tier is not for sale on this bot.`);
  const existing = await prisma.subscription.findUnique({ where: { userId: input.user.id } });
  if (existing?.stripeSubscriptionId && grantsNow(existing.status, existing.currentPeriodEnd)) {
    throw new UserError(
      `You already have the ${TIER_LABELS[existing.tier]} tier. Use \`/billing\` to change plans, update your card or cancel.`,
    );
  }
  const metadata: SubscriptionCheckoutMetadata = { userId: input.user.id, kind: "subscription", tier: input.tier };
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price, quantity: 1 }],
    client_reference_id: input.user.id,
    metadata: { ...metadata },
    // Copied onto the subscription, so its own events name the user even before checkout.session.completed.
    subscription_data: { metadata: { userId: input.user.id, tier: input.tier } },
    ...(existing ? { customer: existing.stripeCustomerId } : {}),
    success_url: returnUrl(config, "success"),
    cancel_url: returnUrl(config, "canceled"),
  });
  return sessionUrl(session);
}

export async function createCreditsCheckout(
  stripe: Stripe,
  prisma: PrismaClient,
  config: BillingConfig,
  input: { user: Pick<User, "id">; pack: string },
): Promise<string> {
  const pack = findPack(config, input.pack);
  if (!pack) {
    const names = config.STRIPE_CREDIT_PACKS.map((p) => `\`${p.name}\``).join(", ");
    throw new UserError(names ? `There is no credit pack called "${input.pack}". Packs: ${names}.` : "No credit packs are for sale on this bot.");
  }
  const existing = await prisma.subscription.findUnique({ where: { userId: input.user.id }, select: { stripeCustomerId: true } });
  const metadata: CreditsCheckoutMetadata = { userId: input.user.id, kind: "credits" };
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price: pack.priceId, quantity: 1 }],
    client_reference_id: input.user.id,
    metadata: { ...metadata },
    payment_intent_data: { metadata: { ...metadata } },
    ...(existing ? { customer: existing.stripeCustomerId } : {}),
    success_url: returnUrl(config, "success"),
    cancel_url: returnUrl(config, "canceled"),
  });
  return sessionUrl(session);
}

function sessionUrl(session: Stripe.Checkout.Session): string {
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  return session.url;
}
