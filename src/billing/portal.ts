// The Stripe customer portal: change plan, update the card, see invoices, cancel.
import type Stripe from "stripe";
import type { PrismaClient, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { returnUrl, type BillingConfig } from "./prices.ts";

export async function createPortalSession(
  stripe: Stripe,
  prisma: PrismaClient,
  config: BillingConfig,
  input: { user: Pick<User, "id"> },
): Promise<string> {
  const row = await prisma.subscription.findUnique({ where: { userId: input.user.id }, select: { stripeCustomerId: true } });
  if (!row) throw new UserError("You have no billing account yet: subscribe with `/subscribe` first.");
  const session = await stripe.billingPortal.sessions.create({ customer: row.stripeCustomerId, return_url: returnUrl(config, "done") });
  return session.url;
}
