// Telling a user that a subscription payment failed. There is no billing notification kind yet, so the
// default hook only logs; the integrator passes a hook that enqueues a Discord notification through
// notifier.notify(…, tx) so it is written in the same transaction as the PAST_DUE state.
import type { Prisma } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";

export interface PaymentFailed {
  userId: string;
  invoiceId: string;
  subscriptionId: string;
  /** Stripe's attempt counter for this invoice (1 for the first failure). */
  attempt: number;
  amountDueCents: number;
  currency: string;
  /** When Stripe retries next; null when it has stopped retrying. */
  nextAttemptAt: Date | null;
  /** Stripe's page where the user can pay the invoice, if any. */
  hostedInvoiceUrl: string | null;
  /** Stable per invoice and attempt: pass it to the notifier so a redelivered event never posts twice. */
  dedupeKey: string;
}

/** Runs inside the webhook's transaction: throwing rolls the event back and Stripe redelivers it. */
export type PaymentFailedHook = (tx: Prisma.TransactionClient, failed: PaymentFailed) => Promise<void>;

export function notifyPaymentFailed(logger: Logger): PaymentFailedHook {
  return async (_tx, failed) => {
    logger.warn(
      {
        userId: failed.userId,
        invoiceId: failed.invoiceId,
        subscriptionId: failed.subscriptionId,
        attempt: failed.attempt,
        nextAttemptAt: failed.nextAttemptAt?.toISOString() ?? null,
      },
      "subscription payment failed (no Discord notification wired: log only)",
    );
  };
}
