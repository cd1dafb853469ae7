// "May this user do X, and how many are left": the one place tier limits are decided. The effective tier
// is the better of a live subscription and an unexpired, unrevoked beta grant; on a bot without billing
// (self-hosted), the better of SELF_HOSTED_TIER and a beta grant.
import type { Config } from "../config.ts";
import type { BetaTester, Prisma, PrismaClient, Subscription, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { billingEnabled } from "./billing-mode.ts";
import { utcDay } from "./quota-day.ts";
import { LIMIT_LABELS, TIERS, type LimitKey, type TierName } from "./tiers.ts";

export interface EffectiveTier {
  tier: TierName;
  source: "subscription" | "beta" | "free" | "self-hosted";
  /** When the paid or granted tier ends, if known. */
  until: Date | null;
}

type Db = PrismaClient | Prisma.TransactionClient;
const rank = (tier: TierName) => TIERS.indexOf(tier);

/** A subscription counts while active or trialing, and while a payment is retried until the period ends. */
export function subscriptionGrants(sub: Subscription | null, now = new Date()): boolean {
  if (!sub) return false;
  if (sub.status === "ACTIVE" || sub.status === "TRIALING") return true;
  return sub.status === "PAST_DUE" && sub.currentPeriodEnd !== null && sub.currentPeriodEnd > now;
}

export async function effectiveTier(db: Db, user: Pick<User, "id" | "steamId">, now = new Date()): Promise<EffectiveTier> {
  const [sub, beta] = await Promise.all([db.subscription.findUnique({ where: { userId: user.id } }), db.betaTester.findUnique({ where: { steamId: user.steamId } })]);
  let best: EffectiveTier = { tier: "SCOUT", source: "free", until: null };
  if (sub && subscriptionGrants(sub, now)) best = { tier: sub.tier, source: "subscription", until: sub.currentPeriodEnd };
  return betterBeta(best, beta, now);
}

/** `best`, or the beta grant when it is live and higher. */
function betterBeta(best: EffectiveTier, beta: BetaTester | null, now: Date): EffectiveTier {
  if (beta && !beta.revokedAt && (!beta.expiresAt || beta.expiresAt > now) && rank(beta.tier) > rank(best.tier)) {
    return { tier: beta.tier, source: "beta", until: beta.expiresAt };
  }
  return best;
}

/** What the limits read from the configuration: the table, and whether billing decides the tier. */
export type LimitsConfig = Pick<Config, "TIER_LIMITS" | "STRIPE_SECRET_KEY" | "SELF_HOSTED_TIER">;

/**
 * The tier whose limits apply to the user. With billing, effectiveTier(); without (no STRIPE_SECRET_KEY),
 * SELF_HOSTED_TIER, or a higher beta grant. A subscription left from when billing was on is ignored then:
 * nobody could manage it.
 */
export async function tierFor(db: Db, config: Pick<Config, "STRIPE_SECRET_KEY" | "SELF_HOSTED_TIER">, user: Pick<User, "id" | "steamId">, now = new Date()): Promise<EffectiveTier> {
  if (billingEnabled(config)) return effectiveTier(db, user, now);
  // Without billing only a beta grant can raise the tier: the subscription is not read (one query fewer on
  // every limited command).
  const beta = await db.betaTester.findUnique({ where: { steamId: user.steamId } });
  return betterBeta({ tier: config.SELF_HOSTED_TIER, source: "self-hosted", until: null }, beta, now);
}

/**
 * Current usage of a limited feature. `scope` is the paired server for per-server limits; `now` the clock
 * of daily quotas (today's UTC day).
 */
export async function usage(db: Db, userId: string, key: LimitKey, scope?: string, now = new Date()): Promise<number> {
  switch (key) {
    case "pairedServers":
      return db.pairedServer.count({ where: { userId, live: true } });
    case "smartDevices":
      return db.smartDevice.count({ where: { pairedServer: { userId } } });
    case "trackedShopItems":
      return db.trackedShopItem.count({ where: { userId } });
    case "trackedPlayers":
      return db.playerIntelNote.count({ where: { tracked: true, pairedServer: { userId } } });
    case "watchlists":
      return db.watchlist.count({ where: { userId } });
    case "battlemetricsLookupsPerDay": {
      return (await db.battleMetricsQuota.findUnique({ where: { userId_day: { userId, day: utcDay(now) } } }))?.used ?? 0;
    }
    case "guestsPerServer":
      if (!scope) throw new Error("guestsPerServer needs the paired server");
      return db.dashboardGuestAccess.count({ where: { pairedServerId: scope, revokedAt: null } });
    case "mapNotesPerServer":
      if (!scope) throw new Error("mapNotesPerServer needs the paired server");
      // Death markers are the bot's own records, and expired notes are gone for users even before the sweep.
      return db.mapNote.count({ where: { pairedServerId: scope, category: { not: "DEATH" }, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] } });
  }
}

export interface Allowance {
  tier: TierName;
  limit: number;
  used: number;
  remaining: number;
  /** Whether this bot has billing (Stripe); without it the operator's configuration sets the tier. */
  billing: boolean;
}

export async function allowance(db: Db, config: LimitsConfig, user: Pick<User, "id" | "steamId">, key: LimitKey, scope?: string): Promise<Allowance> {
  const [{ tier }, used] = await Promise.all([tierFor(db, config, user), usage(db, user.id, key, scope)]);
  const limit = config.TIER_LIMITS[tier][key];
  return { tier, limit, used, remaining: Math.max(0, limit - used), billing: billingEnabled(config) };
}

/** Whether /subscribe could raise this limit: billing is on and a higher tier exists. */
export function canUpgrade(allowed: Pick<Allowance, "tier" | "billing">): boolean {
  return allowed.billing && allowed.tier !== "OVERLORD";
}

/** What to do about a limit, for refusals: /subscribe only where this bot sells tiers. */
export function moreHint(allowed: Pick<Allowance, "tier" | "billing">): string {
  if (!allowed.billing) return "On this self-hosted bot the operator sets the tier (SELF_HOSTED_TIER) and its limits (TIER_LIMITS).";
  return canUpgrade(allowed) ? "Upgrade with `/subscribe` for more." : "That is the highest tier.";
}

export class OverLimitError extends UserError {
  constructor(readonly key: LimitKey, readonly allowed: Allowance) {
    super(
      `Your ${allowed.tier} tier allows ${allowed.limit} ${LIMIT_LABELS[key]}` +
        ` and you have ${allowed.used}. ${moreHint(allowed)}`,
    );
  }
}

/**
 * Runs `add` only if the user is under the limit, atomically: a transaction-scoped advisory lock per user
 * and limit makes concurrent adds queue, so two adds at the limit cannot both succeed.
 */
export async function withinLimit<T>(
  prisma: PrismaClient,
  config: LimitsConfig,
  user: Pick<User, "id" | "steamId">,
  key: LimitKey,
  add: (tx: Prisma.TransactionClient) => Promise<T>,
  scope?: string,
): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`limit:${user.id}:${key}:${scope ?? ""}`}))`;
    const allowed = await allowance(tx, config, user, key, scope);
    if (allowed.remaining <= 0) throw new OverLimitError(key, allowed);
    return add(tx);
  });
}
