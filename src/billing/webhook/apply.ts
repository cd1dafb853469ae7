// Applying one verified Stripe event, exactly once. Stripe delivers at least once, duplicated and out of
// order. The event id is inserted first in the same transaction as the effect: a unique violation means
// another delivery already applied it (answer 200, change nothing); any error rolls everything back,
// event id included, so the route answers 500 and Stripe redelivers.
//
// Reads from Stripe (re-fetching subscriptions, finding a refunded charge's session) happen before the
// transaction opens: the client retries with backoff, and a transaction held open across that would block
// the embedded database (one connection) and could outlive Prisma's transaction timeout.
import type Stripe from "stripe";
import { Prisma, type PrismaClient } from "../../generated/prisma/client.ts";
import { prepareCheckoutFailed, prepareCheckoutPaid } from "./checkout.ts";
import { ignore, type EventContext, type HandlerDeps, type Write } from "./context.ts";
import { prepareInvoiceFailed, prepareInvoicePaid } from "./invoice.ts";
import { prepareDispute, prepareRefund } from "./refund.ts";
import { prepareSubscriptionSync } from "./subscription-sync.ts";

export type { EventContext } from "./context.ts";

export interface ApplyResult {
  duplicate: boolean;
  outcome: string;
}

class DuplicateEvent extends Error {}

export async function applyStripeEvent(prisma: PrismaClient, stripe: Stripe, event: Stripe.Event, ctx: EventContext): Promise<ApplyResult> {
  const duplicate = { duplicate: true, outcome: "duplicate" } as const;
  // Fast path for redeliveries; the insert below is what actually decides.
  if (await prisma.stripeWebhookEvent.findUnique({ where: { id: event.id }, select: { id: true } })) return duplicate;
  const write = await prepare({ stripe, prisma, ctx }, event);
  try {
    return await prisma.$transaction(async (tx) => {
      try {
        await tx.stripeWebhookEvent.create({ data: { id: event.id, type: event.type } });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new DuplicateEvent();
        throw error;
      }
      return { duplicate: false, outcome: await write(tx) };
    });
  } catch (error) {
    if (error instanceof DuplicateEvent) return duplicate;
    throw error;
  }
}

function prepare(deps: HandlerDeps, event: Stripe.Event): Promise<Write> {
  switch (event.type) {
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
    case "customer.subscription.paused":
    case "customer.subscription.resumed":
      return prepareSubscriptionSync(deps, event.data.object.id).then((write) => async (tx) => (await write(tx)).outcome);
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
      return prepareCheckoutPaid(deps, event.data.object);
    case "checkout.session.async_payment_failed":
      return prepareCheckoutFailed(deps, event.data.object);
    case "invoice.paid":
      return prepareInvoicePaid(deps, event.data.object);
    case "invoice.payment_failed":
      return prepareInvoiceFailed(deps, event.data.object);
    case "charge.refunded":
      return prepareRefund(deps, event.data.object);
    case "charge.dispute.created":
      return prepareDispute(deps, event.data.object);
    default:
      return Promise.resolve(ignore(`${event.type} is not handled`));
  }
}
