// The Stripe client, pointed at STRIPE_API_URL (Stripe's, or a local fake in tests).
import Stripe from "stripe";
import type { Config } from "../config.ts";

export function createStripe(config: Pick<Config, "STRIPE_SECRET_KEY" | "STRIPE_API_URL">): Stripe | undefined {
  if (!config.STRIPE_SECRET_KEY) return undefined;
  const api = new URL(config.STRIPE_API_URL);
  return new Stripe(config.STRIPE_SECRET_KEY, {
    host: api.hostname,
    port: Number(api.port || (api.protocol === "https:" ? 443 : 80)),
    protocol: api.protocol === "https:" ? "https" : "http",
    maxNetworkRetries: 2,
    telemetry: false,
  });
}
