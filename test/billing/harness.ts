// The sidecar with billing, as production builds it (parseConfig → createStripe → startWebServer), against
// the fake Stripe API and a fresh database. `deliver` signs an event with stripe-node's own test helper
// and posts it over HTTP, as Stripe does.
import Stripe from "stripe";
import { createStripe } from "../../src/billing/stripe-client.ts";
import { parseConfig, type Config } from "../../src/config.ts";
import type { Notifier } from "../../src/notify/notifier.ts";
import { startWebServer } from "../../src/web/server.ts";
import { FakeStripe, type StripeObject } from "../fakes/stripe/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { capturedLogger } from "../helpers/logs.ts";

export const WEBHOOK_SECRET = "whsec_test_0123456789abcdef";
export const PRICES = [
  { id: "price_operator", unitAmount: 500, recurring: true },
  { id: "price_overlord", unitAmount: 1500, recurring: true },
  { id: "price_small", unitAmount: 299, recurring: false },
  { id: "price_large", unitAmount: 1299, recurring: false },
];

export function billingEnv(fake: FakeStripe): Record<string, string> {
  return {
    NODE_ENV: "test",
    STRIPE_SECRET_KEY: fake.apiKey,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_URL: fake.url,
    STRIPE_PRICE_OPERATOR: "price_operator",
    STRIPE_PRICE_OVERLORD: "price_overlord",
    STRIPE_CREDIT_PACKS: "small:price_small:100,large:price_large:600",
    PUBLIC_BASE_URL: "https://bot.example.test",
  };
}

export interface Delivery {
  status: number;
  body: { received?: boolean; duplicate?: boolean; error?: string };
}

export interface BillingHarness {
  fake: FakeStripe;
  db: TestDatabase;
  config: Config;
  stripe: Stripe;
  url: string;
  logs: Record<string, unknown>[];
  /** Signs and posts an event (or any payload) as Stripe would. */
  deliver(event: StripeObject | string, options?: { secret?: string; timestamp?: number }): Promise<Delivery>;
  /** Posts a body with exactly these headers (no signing). */
  post(body: string, headers: Record<string, string>): Promise<Delivery>;
  close(): Promise<void>;
}

export async function startBilling(
  options: { env?: Record<string, string | undefined>; fake?: FakeStripe; db?: TestDatabase; notifier?: (db: TestDatabase) => Notifier } = {},
): Promise<BillingHarness> {
  const fake = options.fake ?? (await FakeStripe.start({ prices: PRICES }));
  const db = options.db ?? (await createTestDatabase());
  const { logger, logs } = capturedLogger();
  const env = Object.fromEntries(Object.entries({ ...billingEnv(fake), ...options.env }).filter((e): e is [string, string] => e[1] !== undefined));
  const config = parseConfig(env);
  const stripe = createStripe(config);
  const web = await startWebServer({ config, prisma: db.prisma, logger, stripe, notifier: options.notifier?.(db) }, 0, "127.0.0.1");
  const url = `http://127.0.0.1:${web.port}/stripe/webhook`;

  async function post(body: string, headers: Record<string, string>): Promise<Delivery> {
    const res = await fetch(url, { method: "POST", body, headers });
    return { status: res.status, body: (await res.json()) as Delivery["body"] };
  }

  return {
    fake,
    db,
    config,
    stripe: stripe!,
    url,
    logs,
    post,
    deliver(event, opts = {}) {
      const payload = typeof event === "string" ? event : JSON.stringify(event, null, 2);
      const header = Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: opts.secret ?? WEBHOOK_SECRET,
        ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
      });
      return post(payload, { "Content-Type": "application/json", "Stripe-Signature": header });
    },
    async close() {
      await web.close();
      if (!options.db) await db.dispose();
      if (!options.fake) await fake.close();
    },
  };
}
