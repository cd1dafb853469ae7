// What the event handlers share. A handler runs in two steps: `prepare` reads from Stripe (outside any
// database transaction: network retries must not hold the database), then the returned write runs inside
// the one transaction that also records the event id.
import type Stripe from "stripe";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "../../logger.ts";
import type { PaymentFailedHook } from "../payment-failed.ts";
import type { BillingConfig } from "../prices.ts";

export interface EventContext {
  config: BillingConfig;
  logger: Logger;
  onPaymentFailed: PaymentFailedHook;
}

/** The database part of an event: returns a short outcome for the log. */
export type Write = (tx: Prisma.TransactionClient) => Promise<string>;

export interface HandlerDeps {
  stripe: Stripe;
  prisma: PrismaClient;
  ctx: EventContext;
}

export const ignore =
  (why: string): Write =>
  async () =>
    `ignored: ${why}`;

/** An expandable Stripe reference: an id, or the object itself when expanded. */
export function idOf(ref: string | { id: string } | null | undefined): string | undefined {
  return typeof ref === "string" ? ref : ref?.id;
}

/**
 * Whether Stripe answered that the object asked for does not exist (404, resource_missing): permanent, so the
 * event is recorded and acknowledged, not retried for days. Network errors, 5xx and 429 are not this.
 */
export function isMissingInStripe(error: unknown): boolean {
  const e = error as { type?: unknown; statusCode?: unknown; code?: unknown } | null;
  return e?.type === "StripeInvalidRequestError" && (e.statusCode === 404 || e.code === "resource_missing");
}
