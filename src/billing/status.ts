// Stripe's subscription statuses onto the four we store. What a stored status means is decided by
// entitlements: ACTIVE and TRIALING grant the tier, PAST_DUE grants it until currentPeriodEnd (the grace
// while Stripe retries a failed renewal), CANCELED grants nothing. So each Stripe status maps to the stored
// status with the right entitlement, not to the nearest-sounding word.
import type Stripe from "stripe";
import type { SubscriptionStatus } from "../generated/prisma/client.ts";

export const STATUS_MAP = {
  /** Paid and current. */
  active: "ACTIVE",
  /** In a free trial: full access until it ends. */
  trialing: "TRIALING",
  /** A renewal payment failed and Stripe is retrying: keep the tier until the paid period ends. */
  past_due: "PAST_DUE",
  /** Stripe gave up retrying; invoices stay open. No access until they are paid (then it turns active). */
  unpaid: "CANCELED",
  /** The first payment has not succeeded yet (e.g. 3-D Secure pending): never paid, no access yet. */
  incomplete: "CANCELED",
  /** The first payment never succeeded within 23 hours: terminal. */
  incomplete_expired: "CANCELED",
  /** Ended: terminal. */
  canceled: "CANCELED",
  /** A trial ended without a payment method: no access until it is resumed (then it turns active). */
  paused: "CANCELED",
} as const satisfies Record<string, SubscriptionStatus>;

export type KnownStripeStatus = keyof typeof STATUS_MAP;

/** `known: false` for a status this code does not know (a newer API): it fails closed, as CANCELED. */
export function mapSubscriptionStatus(status: Stripe.Subscription.Status): { status: SubscriptionStatus; known: boolean } {
  return Object.hasOwn(STATUS_MAP, status)
    ? { status: STATUS_MAP[status as KnownStripeStatus], known: true }
    : { status: "CANCELED", known: false };
}

/** Whether a stored status gives the tier now (mirrors entitlements; used to pick between two subscriptions). */
export function grantsNow(status: SubscriptionStatus, currentPeriodEnd: Date | null, now = new Date()): boolean {
  if (status === "ACTIVE" || status === "TRIALING") return true;
  return status === "PAST_DUE" && currentPeriodEnd !== null && currentPeriodEnd > now;
}
