// Which Stripe price is which tier or credit pack, from the configuration.
import type { Config } from "../config.ts";
import type { TierName } from "./tiers.ts";

export type PaidTier = Exclude<TierName, "SCOUT">;
export const PAID_TIERS = ["OPERATOR", "OVERLORD"] as const satisfies readonly PaidTier[];
export type BillingConfig = Pick<Config, "STRIPE_PRICE_OPERATOR" | "STRIPE_PRICE_OVERLORD" | "STRIPE_CREDIT_PACKS" | "PUBLIC_BASE_URL">;
export type CreditPack = Config["STRIPE_CREDIT_PACKS"][number];

export const TIER_LABELS: Record<TierName, string> = { SCOUT: "Scout", OPERATOR: "Operator", OVERLORD: "Overlord" };

export function priceForTier(config: BillingConfig, tier: PaidTier): string | undefined {
  return tier === "OPERATOR" ? config.STRIPE_PRICE_OPERATOR : config.STRIPE_PRICE_OVERLORD;
}

export function tierForPrice(config: BillingConfig, priceId: string | undefined): PaidTier | undefined {
  if (!priceId) return undefined;
  return PAID_TIERS.find((tier) => priceForTier(config, tier) === priceId);
}

export function findPack(config: BillingConfig, name: string): CreditPack | undefined {
  return config.STRIPE_CREDIT_PACKS.find((pack) => pack.name === name);
}

/** Where Checkout and the portal send the browser back to (served by billingReturnPages in the sidecar). */
export function returnUrl(config: BillingConfig, page: "success" | "canceled" | "done"): string {
  return new URL(`billing/${page}`, config.PUBLIC_BASE_URL.endsWith("/") ? config.PUBLIC_BASE_URL : `${config.PUBLIC_BASE_URL}/`).href;
}
