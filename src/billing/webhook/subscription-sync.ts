// Subscriptions are never taken from an event's payload: they are re-fetched from the API, so a late or
// repeated event writes the current state and delivery order does not matter. One row per user: when the
// user's row tracks another subscription, both are fetched and the better one is kept (see `better`).
import type Stripe from "stripe";
import type { Prisma, PrismaClient, SubscriptionStatus } from "../../generated/prisma/client.ts";
import { tierForPrice, type BillingConfig } from "../prices.ts";
import { grantsNow, mapSubscriptionStatus } from "../status.ts";
import { TIERS, type TierName } from "../tiers.ts";
import { idOf, type EventContext, type HandlerDeps } from "./context.ts";

type Db = PrismaClient | Prisma.TransactionClient;

export interface SubscriptionState {
  id: string;
  customerId: string;
  stripeStatus: string;
  status: SubscriptionStatus;
  tier: TierName;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  metadataUserId: string | undefined;
}

export async function fetchSubscriptionState(stripe: Stripe, ctx: EventContext, id: string): Promise<SubscriptionState> {
  return toState(await stripe.subscriptions.retrieve(id), ctx);
}

export function toState(sub: Stripe.Subscription, ctx: Pick<EventContext, "config" | "logger">): SubscriptionState {
  const item = sub.items.data[0];
  const mapped = mapSubscriptionStatus(sub.status);
  if (!mapped.known) ctx.logger.warn({ subscriptionId: sub.id, stripeStatus: sub.status }, "unknown Stripe subscription status: stored as CANCELED");
  const customerId = idOf(sub.customer);
  if (!customerId) throw new Error(`subscription ${sub.id} has no customer`);
  return {
    id: sub.id,
    customerId,
    stripeStatus: sub.status,
    status: mapped.status,
    tier: tierOf(ctx.config, sub, item?.price.id, mapped.status),
    currentPeriodEnd: item ? new Date(item.current_period_end * 1000) : null,
    // A portal cancellation may set cancel_at (at the period end) rather than cancel_at_period_end.
    cancelAtPeriodEnd: sub.cancel_at_period_end || (sub.cancel_at !== null && sub.status !== "canceled"),
    metadataUserId: sub.metadata["userId"] || undefined,
  };
}

function tierOf(config: BillingConfig, sub: Stripe.Subscription, priceId: string | undefined, status: SubscriptionStatus): TierName {
  const tier = tierForPrice(config, priceId);
  if (tier) return tier;
  // An ended subscription on a price we no longer sell grants nothing anyway.
  if (status === "CANCELED") return "SCOUT";
  // A live subscription on an unknown price: fail (500) so Stripe redelivers once the prices are configured.
  throw new Error(`subscription ${sub.id} is on price ${priceId ?? "(none)"}, which is neither STRIPE_PRICE_OPERATOR nor STRIPE_PRICE_OVERLORD`);
}

/** The user a subscription belongs to: the one we named at checkout, else whoever already holds it or its customer. */
async function resolveUser(db: Db, state: SubscriptionState, hint: string | undefined): Promise<string | undefined> {
  for (const candidate of new Set([hint, state.metadataUserId])) {
    if (candidate && (await db.user.findUnique({ where: { id: candidate }, select: { id: true } }))) return candidate;
  }
  const row =
    (await db.subscription.findUnique({ where: { stripeSubscriptionId: state.id }, select: { userId: true } })) ??
    (await db.subscription.findUnique({ where: { stripeCustomerId: state.customerId }, select: { userId: true } }));
  return row?.userId;
}

/** Which of two subscriptions of one user the row should track: deterministic, whatever the arrival order. */
function better(a: SubscriptionState, b: SubscriptionState, now = new Date()): SubscriptionState {
  const key = (s: SubscriptionState) => [grantsNow(s.status, s.currentPeriodEnd, now) ? 1 : 0, TIERS.indexOf(s.tier), s.currentPeriodEnd?.getTime() ?? 0] as const;
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! > kb[i]! ? a : b;
  return a.id > b.id ? a : b;
}

export interface SyncResult {
  userId: string | undefined;
  outcome: string;
}

/** Fetches the subscription (and the user's other one, if the row tracks another) and returns the write. */
export async function prepareSubscriptionSync(
  deps: HandlerDeps,
  subscriptionId: string,
  hint?: string,
): Promise<(tx: Prisma.TransactionClient) => Promise<SyncResult>> {
  const incoming = await fetchSubscriptionState(deps.stripe, deps.ctx, subscriptionId);
  const userId = await resolveUser(deps.prisma, incoming, hint);
  const tracked = userId && (await deps.prisma.subscription.findUnique({ where: { userId }, select: { stripeSubscriptionId: true } }));
  const otherId = tracked && tracked.stripeSubscriptionId !== incoming.id ? tracked.stripeSubscriptionId : null;
  const other = otherId ? await fetchSubscriptionState(deps.stripe, deps.ctx, otherId) : undefined;
  return (tx) => writeSubscription(tx, deps.ctx, incoming, other, hint);
}

async function writeSubscription(
  tx: Prisma.TransactionClient,
  ctx: EventContext,
  incoming: SubscriptionState,
  other: SubscriptionState | undefined,
  hint: string | undefined,
): Promise<SyncResult> {
  const userId = await resolveUser(tx, incoming, hint);
  if (!userId) {
    ctx.logger.warn({ subscriptionId: incoming.id, customerId: incoming.customerId }, "subscription of no known user: ignored");
    return { userId, outcome: "ignored: subscription of no known user" };
  }
  // Serialises billing writes per user, so two deliveries cannot interleave their read and write.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`billing:${userId}`}))`;
  const row = await tx.subscription.findUnique({ where: { userId }, select: { stripeSubscriptionId: true } });
  let winner = incoming;
  if (row?.stripeSubscriptionId && row.stripeSubscriptionId !== incoming.id) {
    // The row moved to a subscription we did not fetch while this event was being prepared: let Stripe retry.
    if (other?.id !== row.stripeSubscriptionId) throw new Error(`subscription row of user ${userId} changed while applying ${incoming.id}; retry`);
    winner = better(incoming, other);
  }
  const data = {
    tier: winner.tier,
    status: winner.status,
    currentPeriodEnd: winner.currentPeriodEnd,
    cancelAtPeriodEnd: winner.cancelAtPeriodEnd,
    stripeCustomerId: winner.customerId,
    stripeSubscriptionId: winner.id,
  };
  await tx.subscription.upsert({ where: { userId }, create: { userId, ...data }, update: data });
  const kept = winner === incoming ? "" : ` (kept over ${incoming.id}, ${incoming.stripeStatus})`;
  return { userId, outcome: `subscription ${winner.id} ${winner.stripeStatus} → ${winner.tier} ${winner.status}${kept}` };
}
