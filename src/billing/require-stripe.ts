// The bot's commands reach Stripe through this: one client per configuration, or a message for the user
// when this bot sells nothing.
import type Stripe from "stripe";
import type { Config } from "../config.ts";
import { UserError } from "../errors.ts";
import { BILLING_NOT_ENABLED, billingEnabled } from "./billing-mode.ts";
import { createStripe } from "./stripe-client.ts";

export const BILLING_NOT_SET_UP = BILLING_NOT_ENABLED;

const clients = new WeakMap<object, Stripe>();

export function requireStripe(config: Pick<Config, "STRIPE_SECRET_KEY" | "STRIPE_API_URL">): Stripe {
  const cached = clients.get(config);
  if (cached) return cached;
  const stripe = billingEnabled(config) ? createStripe(config) : undefined;
  if (!stripe) throw new UserError(BILLING_NOT_SET_UP);
  clients.set(config, stripe);
  return stripe;
}
