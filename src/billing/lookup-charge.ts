// Paying for a BattleMetrics look-up (LookupCharge, src/intel/types.ts): the tier's daily quota first
// (BattleMetricsQuota, one row per user and UTC day), then one credit. Both takes are single conditional
// statements, so concurrent look-ups can neither exceed the quota nor overdraw the credits. A look-up
// BattleMetrics then failed is given back (refundLookup) the same way it was taken.
import type { PrismaClient, Prisma, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import type { LookupCharge, LookupRefund } from "../intel/types.ts";
import { billingEnabled } from "./billing-mode.ts";
import { canUpgrade, tierFor, usage, type LimitsConfig } from "./entitlements.ts";
import { addCredits, CREDIT_REASONS, creditBalance, InsufficientCreditsError, spendCredits } from "./credits.ts";
import { nextUtcMidnight, utcDay, utcDayKey, utcDaysBefore } from "./quota-day.ts";
import type { TierName } from "./tiers.ts";

type Db = PrismaClient | Prisma.TransactionClient;

/** Quota rows are kept this many days (only today's counts; a few past days help support). */
export const QUOTA_RETENTION_DAYS = 7;

/** Where a user stands today: quota used of the tier's limit, and credits. */
export interface LookupStatus {
  tier: TierName;
  /** The tier's battlemetricsLookupsPerDay. */
  limit: number;
  /** Look-ups taken from today's quota (may exceed `limit` after a downgrade during the day). */
  used: number;
  balance: number;
  /** Whether credits can be bought on this bot (billing on). */
  billing: boolean;
  /** The next 00:00 UTC, when the quota starts again. */
  resetsAt: Date;
}

/** How a look-up was paid. */
export type LookupPayment = { by: "quota"; used: number; limit: number } | { by: "credit"; balance: number };

/** Today's quota use, the tier's limit and the credit balance (`now` sets "today", in UTC). */
export async function lookupStatus(db: Db, config: LimitsConfig, user: Pick<User, "id" | "steamId">, now = new Date()): Promise<LookupStatus> {
  const [tier, used, balance] = await Promise.all([
    tierFor(db, config, user, now),
    usage(db, user.id, "battlemetricsLookupsPerDay", undefined, now),
    creditBalance(db, user.id),
  ]);
  return { tier: tier.tier, limit: config.TIER_LIMITS[tier.tier].battlemetricsLookupsPerDay, used, balance, billing: billingEnabled(config), resetsAt: nextUtcMidnight(now) };
}

/** Neither quota nor credits are left; nothing was charged. */
export class LookupsUsedUpError extends UserError {
  constructor(readonly status: LookupStatus) {
    super(usedUpMessage(status));
  }
}

function usedUpMessage(s: LookupStatus): string {
  const today = `${Math.min(s.used, s.limit)}/${s.limit} today, resets at 00:00 UTC`;
  const credits = s.balance === 1 ? "1 credit" : `${s.balance} credits`;
  const head = `You have used your BattleMetrics look-ups (${today}) and have ${credits}; a look-up beyond the quota costs 1 credit.`;
  if (!s.billing) return `${head} Credits cannot be bought on this self-hosted bot: the tier's daily quota is all there is (the operator sets it with SELF_HOSTED_TIER and TIER_LIMITS).`;
  return `${head} Buy credits with \`/credits buy\`${canUpgrade({ tier: s.tier, billing: s.billing }) ? ", or `/subscribe` for a larger daily quota" : ""}.`;
}

/**
 * Takes one look-up from today's quota when used < the tier's battlemetricsLookupsPerDay, else spends one
 * credit (ledger reason "battlemetrics lookup", `reference` = what was looked up). `now` sets the UTC day.
 * @throws LookupsUsedUpError (a UserError saying N/N today, the reset and how to get credits) when neither is
 *   left; nothing is changed then.
 * @throws Error when the user does not exist.
 */
export async function chargeLookup(prisma: PrismaClient, config: LimitsConfig, userId: string, reference: string, now = new Date()): Promise<LookupPayment> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, steamId: true } });
  if (!user) throw new Error(`chargeLookup: no user ${userId}`);
  const { tier } = await tierFor(prisma, config, user, now);
  const limit = config.TIER_LIMITS[tier].battlemetricsLookupsPerDay;
  if (limit > 0) {
    // Today's row exists first (ON CONFLICT DO NOTHING, so concurrent first look-ups cannot collide); then
    // one conditional UPDATE takes from it: concurrent takes queue on the row lock and each re-checks
    // "used < limit" against the committed count, so at limit-1 exactly one of them gets it.
    await prisma.battleMetricsQuota.createMany({ data: [{ userId, day: utcDay(now), used: 0 }], skipDuplicates: true });
    const taken = await prisma.$queryRaw<{ used: number }[]>`
      UPDATE "BattleMetricsQuota" SET "used" = "used" + 1
       WHERE "userId" = ${userId} AND "day" = ${utcDayKey(now)}::date AND "used" < ${limit}
   RETURNING "used"`;
    const row = taken[0];
    if (row) return { by: "quota", used: Number(row.used), limit };
  }
  try {
    const { balance } = await spendCredits(prisma, userId, 1, CREDIT_REASONS.battlemetricsLookup, reference);
    return { by: "credit", balance };
  } catch (error) {
    if (error instanceof InsufficientCreditsError) throw new LookupsUsedUpError(await lookupStatus(prisma, config, user, now));
    throw error;
  }
}

/**
 * Gives back one look-up paid as `payment` on `chargedAt`'s UTC day: a quota take is returned to that day's row
 * (one conditional decrement, never below 0, so a row pruned or already back at 0 is left alone); a credit is
 * added back with ledger reason "battlemetrics lookup refunded" and the charge's `reference`.
 */
export async function refundLookup(prisma: PrismaClient, userId: string, payment: LookupPayment, reference: string, chargedAt: Date): Promise<void> {
  if (payment.by === "quota") {
    await prisma.$executeRaw`
      UPDATE "BattleMetricsQuota" SET "used" = "used" - 1
       WHERE "userId" = ${userId} AND "day" = ${utcDayKey(chargedAt)}::date AND "used" > 0`;
    return;
  }
  await addCredits(prisma, userId, 1, CREDIT_REASONS.battlemetricsLookupRefund, reference);
}

/** chargeLookup as the LookupCharge the BattleMetrics look-ups take; its refund works once. `clock` is for tests. */
export function lookupCharge(prisma: PrismaClient, config: LimitsConfig, clock: () => Date = () => new Date()): LookupCharge {
  return async (userId, reference) => {
    const chargedAt = clock();
    const payment = await chargeLookup(prisma, config, userId, reference, chargedAt);
    let refunded: Promise<void> | undefined;
    const refund: LookupRefund = () => (refunded ??= refundLookup(prisma, userId, payment, reference, chargedAt));
    return refund;
  };
}

/** Deletes quota rows of days more than QUOTA_RETENTION_DAYS before `now`'s UTC day; returns how many. */
export async function pruneLookupQuotas(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.battleMetricsQuota.deleteMany({ where: { day: { lt: utcDaysBefore(now, QUOTA_RETENTION_DAYS) } } });
  return count;
}
