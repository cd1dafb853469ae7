// Paying for BattleMetrics look-ups: today's quota (per user and UTC day) first, then one credit, then a
// clear refusal that changes nothing. Both takes are single conditional statements: concurrent look-ups
// never exceed the quota nor overdraw. (On PostgreSQL too: test:postgres runs test/billing/.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCredits, creditBalance } from "../../src/billing/credits.ts";
import type { LimitsConfig } from "../../src/billing/entitlements.ts";
import { chargeLookup, lookupCharge, lookupStatus, LookupsUsedUpError, refundLookup } from "../../src/billing/lookup-charge.ts";
import { tierLimits } from "../../src/billing/tiers.ts";
import { UserError } from "../../src/errors.ts";
import { sweepOnce } from "../../src/maintenance/sweep.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { createUser } from "../helpers/fixtures.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.dispose());

const limits = tierLimits('{"SCOUT":{"battlemetricsLookupsPerDay":3},"OPERATOR":{"battlemetricsLookupsPerDay":5}}');
const billed: LimitsConfig = { TIER_LIMITS: limits, STRIPE_SECRET_KEY: "sk_test_lookup", SELF_HOSTED_TIER: "OVERLORD" };
const selfHosted: LimitsConfig = { TIER_LIMITS: limits, STRIPE_SECRET_KEY: undefined, SELF_HOSTED_TIER: "SCOUT" };
const NOON = new Date("2026-03-10T12:00:00.000Z");

/** Everything a refusal must leave alone. */
async function snapshot(userId: string) {
  return {
    quota: await db.prisma.battleMetricsQuota.findMany({ where: { userId }, orderBy: { day: "asc" } }),
    credit: await db.prisma.credit.findUnique({ where: { userId } }),
    ledger: await db.prisma.creditLedger.findMany({ where: { userId }, orderBy: { id: "asc" } }),
  };
}

describe("quota, then credits, then refusal", () => {
  it("takes the tier's 3 a day from the quota, then one credit each with a ledger row, then refuses clearly and changes nothing", async () => {
    const user = await createUser(db.prisma);
    await addCredits(db.prisma, user.id, 2, "test grant");
    const paid = [];
    for (let i = 0; i < 5; i++) paid.push(await chargeLookup(db.prisma, billed, user.id, `player ${i}`, NOON));
    expect(paid).toEqual([
      { by: "quota", used: 1, limit: 3 },
      { by: "quota", used: 2, limit: 3 },
      { by: "quota", used: 3, limit: 3 },
      { by: "credit", balance: 1 },
      { by: "credit", balance: 0 },
    ]);
    const spends = await db.prisma.creditLedger.findMany({ where: { userId: user.id, delta: { lt: 0 } }, orderBy: { balance: "desc" } });
    expect(spends.map(({ delta, balance, reason, reference }) => ({ delta, balance, reason, reference }))).toEqual([
      { delta: -1, balance: 1, reason: "battlemetrics lookup", reference: "player 3" },
      { delta: -1, balance: 0, reason: "battlemetrics lookup", reference: "player 4" },
    ]);

    const before = await snapshot(user.id);
    const refused = await chargeLookup(db.prisma, billed, user.id, "player 5", NOON).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LookupsUsedUpError);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as Error).message).toBe(
      "You have used your BattleMetrics look-ups (3/3 today, resets at 00:00 UTC) and have 0 credits; a look-up beyond the quota costs 1 credit. " +
        "Buy credits with `/credits buy`, or `/subscribe` for a larger daily quota.",
    );
    expect(await snapshot(user.id)).toEqual(before);
    expect(await lookupStatus(db.prisma, billed, user, NOON)).toEqual({
      tier: "SCOUT",
      limit: 3,
      used: 3,
      balance: 0,
      billing: true,
      resetsAt: new Date("2026-03-11T00:00:00.000Z"),
    });
  });

  it("self-hosted: the refusal says credits cannot be bought here and names no paid command", async () => {
    const user = await createUser(db.prisma);
    for (let i = 0; i < 3; i++) await chargeLookup(db.prisma, selfHosted, user.id, "p", NOON);
    const refused = await chargeLookup(db.prisma, selfHosted, user.id, "p", NOON).catch((e: unknown) => e);
    expect((refused as Error).message).toBe(
      "You have used your BattleMetrics look-ups (3/3 today, resets at 00:00 UTC) and have 0 credits; a look-up beyond the quota costs 1 credit. " +
        "Credits cannot be bought on this self-hosted bot: the tier's daily quota is all there is (the operator sets it with SELF_HOSTED_TIER and TIER_LIMITS).",
    );
    // Credits a self-hosted user has (starting credits) are still spent beyond the quota.
    await addCredits(db.prisma, user.id, 1, "initial");
    expect(await chargeLookup(db.prisma, selfHosted, user.id, "p", NOON)).toEqual({ by: "credit", balance: 0 });
  });

  it("the limit follows the tier: an active OPERATOR subscription gives 5 a day", async () => {
    const user = await createUser(db.prisma);
    await db.prisma.subscription.create({ data: { userId: user.id, tier: "OPERATOR", status: "ACTIVE", stripeCustomerId: `cus_${user.id}` } });
    const charge = lookupCharge(db.prisma, billed, () => NOON);
    for (let i = 0; i < 5; i++) await charge(user.id, "p");
    await expect(charge(user.id, "p")).rejects.toThrow("(5/5 today, resets at 00:00 UTC)");
  });

  it("a tier with no quota (0 a day) goes straight to credits and makes no quota row", async () => {
    const user = await createUser(db.prisma);
    const none: LimitsConfig = { ...billed, TIER_LIMITS: tierLimits('{"SCOUT":{"battlemetricsLookupsPerDay":0}}') };
    await addCredits(db.prisma, user.id, 1, "test grant");
    expect(await chargeLookup(db.prisma, none, user.id, "p", NOON)).toEqual({ by: "credit", balance: 0 });
    await expect(chargeLookup(db.prisma, none, user.id, "p", NOON)).rejects.toThrow("(0/0 today");
    expect(await db.prisma.battleMetricsQuota.count({ where: { userId: user.id } })).toBe(0);
  });

  it("an unknown user is a programming error, not a charge", async () => {
    await expect(chargeLookup(db.prisma, billed, "no-such-user", "p", NOON)).rejects.toThrow("no user no-such-user");
  });
});

describe("concurrency", () => {
  it("two look-ups at limit-1 without credits: exactly one passes by quota, the other is refused", async () => {
    const user = await createUser(db.prisma);
    for (let i = 0; i < 2; i++) await chargeLookup(db.prisma, billed, user.id, "p", NOON);
    const results = await Promise.allSettled([chargeLookup(db.prisma, billed, user.id, "a", NOON), chargeLookup(db.prisma, billed, user.id, "b", NOON)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")?.reason).toBeInstanceOf(LookupsUsedUpError);
    expect((await lookupStatus(db.prisma, billed, user, NOON)).used).toBe(3);
  });

  it("twelve at once from nothing with 4 credits: 3 by quota, 4 by credit, 5 refused; nothing over", async () => {
    const user = await createUser(db.prisma);
    await addCredits(db.prisma, user.id, 4, "test grant");
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => chargeLookup(db.prisma, billed, user.id, `p${i}`, NOON)));
    const by = (kind: string) => results.filter((r) => r.status === "fulfilled" && r.value.by === kind).length;
    expect({ quota: by("quota"), credit: by("credit"), refused: results.filter((r) => r.status === "rejected").length }).toEqual({ quota: 3, credit: 4, refused: 5 });
    expect(await db.prisma.battleMetricsQuota.findMany({ where: { userId: user.id }, select: { used: true } })).toEqual([{ used: 3 }]);
    expect(await creditBalance(db.prisma, user.id)).toBe(0);
    expect(await db.prisma.creditLedger.count({ where: { userId: user.id, reason: "battlemetrics lookup" } })).toBe(4);
  });
});

describe("the UTC day", () => {
  it("the quota used up at 23:59:59.999 UTC is whole again at 00:00:00.000 UTC", async () => {
    const user = await createUser(db.prisma);
    const clock = { now: new Date("2026-03-10T23:59:59.999Z") };
    const charge = lookupCharge(db.prisma, billed, () => clock.now);
    for (let i = 0; i < 3; i++) await charge(user.id, "p");
    await expect(charge(user.id, "p")).rejects.toBeInstanceOf(LookupsUsedUpError);
    clock.now = new Date("2026-03-11T00:00:00.000Z");
    await charge(user.id, "p");
    expect(await lookupStatus(db.prisma, billed, user, clock.now)).toMatchObject({ used: 1, limit: 3 });
    const days = await db.prisma.battleMetricsQuota.findMany({ where: { userId: user.id }, orderBy: { day: "asc" } });
    expect(days.map((d) => [d.day.toISOString(), d.used])).toEqual([
      ["2026-03-10T00:00:00.000Z", 3],
      ["2026-03-11T00:00:00.000Z", 1],
    ]);
  });

  it("the sweep prunes quota rows more than 7 days old", async () => {
    const user = await createUser(db.prisma);
    for (const day of ["2026-04-01", "2026-04-02", "2026-04-09"]) await db.prisma.battleMetricsQuota.create({ data: { userId: user.id, day: new Date(day), used: 1 } });
    const swept = await sweepOnce(db.prisma, new Date("2026-04-09T08:00:00Z"));
    expect(swept.lookupQuotas).toBeGreaterThanOrEqual(1);
    const left = await db.prisma.battleMetricsQuota.findMany({ where: { userId: user.id }, orderBy: { day: "asc" } });
    expect(left.map((d) => d.day.toISOString().slice(0, 10))).toEqual(["2026-04-02", "2026-04-09"]);
  });
});

describe("refunds of look-ups BattleMetrics failed", () => {
  it("a quota take goes back to the day it was taken on, once; a credit comes back with a ledger row and the same reference", async () => {
    const user = await createUser(db.prisma);
    await addCredits(db.prisma, user.id, 1, "test grant");
    const clock = { now: new Date("2026-03-10T23:59:59.000Z") };
    const charge = lookupCharge(db.prisma, billed, () => clock.now);
    const refunds = [];
    for (let i = 0; i < 3; i++) refunds.push(await charge(user.id, `battlemetrics:player:${i}`));
    const byCredit = await charge(user.id, "battlemetrics:player:9");
    await expect(charge(user.id, "p")).rejects.toBeInstanceOf(LookupsUsedUpError);

    clock.now = new Date("2026-03-11T00:00:01.000Z"); // the refund lands after midnight: yesterday's row gets it back
    await charge(user.id, "today");
    await refunds[0]!();
    await refunds[0]!(); // twice is once
    const days = await db.prisma.battleMetricsQuota.findMany({ where: { userId: user.id }, orderBy: { day: "asc" } });
    expect(days.map((d) => d.used)).toEqual([2, 1]);

    await byCredit();
    await byCredit();
    expect(await creditBalance(db.prisma, user.id)).toBe(1);
    const ledger = await db.prisma.creditLedger.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } });
    expect(ledger.slice(-2).map(({ delta, balance, reason, reference }) => ({ delta, balance, reason, reference }))).toEqual([
      { delta: -1, balance: 0, reason: "battlemetrics lookup", reference: "battlemetrics:player:9" },
      { delta: 1, balance: 1, reason: "battlemetrics lookup refunded", reference: "battlemetrics:player:9" },
    ]);
    expect(ledger.reduce((sum, row) => sum + row.delta, 0)).toBe(1);
  });

  it("never takes a day's count below 0 (a row already given back, or pruned)", async () => {
    const user = await createUser(db.prisma);
    await refundLookup(db.prisma, user.id, { by: "quota", used: 1, limit: 3 }, "p", NOON);
    expect(await db.prisma.battleMetricsQuota.count({ where: { userId: user.id } })).toBe(0);
    await db.prisma.battleMetricsQuota.create({ data: { userId: user.id, day: new Date("2026-03-10"), used: 0 } });
    await refundLookup(db.prisma, user.id, { by: "quota", used: 1, limit: 3 }, "p", NOON);
    expect((await db.prisma.battleMetricsQuota.findFirstOrThrow({ where: { userId: user.id } })).used).toBe(0);
  });
});
