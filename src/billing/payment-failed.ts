// Telling a user that a subscription payment failed: a notification in their server-status channel,
// written in the same transaction as the subscription's new state (so it is never lost or doubled).
import type { Prisma } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";

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

/** Posts to the user's Discord (their server-status channel from /setup); logs when they have none. */
export function discordPaymentFailed(notifier: Notifier, logger: Logger): PaymentFailedHook {
  const logOnly = notifyPaymentFailed(logger);
  return async (tx, failed) => {
    const amount = `${(failed.amountDueCents / 100).toFixed(2)} ${failed.currency.toUpperCase()}`;
    const retry = failed.nextAttemptAt ? ` Stripe will try again on ${failed.nextAttemptAt.toISOString().slice(0, 10)}.` : " Stripe has stopped retrying.";
    const outcome = await notifier.notify(
      {
        userId: failed.userId,
        dedupeKey: failed.dedupeKey,
        event: {
          kind: "account",
          at: new Date().toISOString(),
          title: "Your subscription payment failed",
          text: `The payment of ${amount} did not go through.${retry} Update your card with /billing to keep your tier.`,
          ...(failed.hostedInvoiceUrl && { url: failed.hostedInvoiceUrl }),
        },
      },
      tx,
    );
    if (outcome !== "queued" && outcome !== "duplicate") await logOnly(tx, failed);
  };
}
