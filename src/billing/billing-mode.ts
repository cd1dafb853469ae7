// Whether this bot sells anything: the one place that decides. A bot without STRIPE_SECRET_KEY is
// self-hosted: every user has SELF_HOSTED_TIER, and no answer points to /subscribe, /credits buy or /billing.
import type { Config } from "../config.ts";

export function billingEnabled(config: Pick<Config, "STRIPE_SECRET_KEY">): boolean {
  return config.STRIPE_SECRET_KEY !== undefined;
}

/** The answer of every command that needs Stripe on a bot without it (plain text: shown as is). */
export const BILLING_NOT_ENABLED = "Billing is not enabled on this bot, so there is nothing to buy: /account shows your tier and limits.";

/** Commands (and subcommands) that only work with billing; /help leaves them out on a self-hosted bot. */
export const PAID_COMMANDS: ReadonlySet<string> = new Set(["subscribe", "billing", "credits buy"]);
