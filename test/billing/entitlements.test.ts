import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowance, effectiveTier, OverLimitError, withinLimit } from "../../src/billing/entitlements.ts";
import { parseConfig } from "../../src/config.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../helpers/database.ts";
import { createServer, createUser, steamId } from "../helpers/fixtures.ts";

let db: TestDatabase;
// A hosted bot (billing on): without a subscription or grant, the free tier.
const config = parseConfig({ STRIPE_SECRET_KEY: "sk_test_entitlements" });
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.dispose());

const addGuest = (user: { id: string; steamId: string }, serverId: string, cfg = config) =>
  withinLimit(db.prisma, cfg, user, "guestsPerServer", (tx) => tx.dashboardGuestAccess.create({ data: { ownerUserId: user.id, pairedServerId: serverId, guestSteamId: steamId() } }), serverId);

describe(`entitlements on ${testDatabaseKind}`, () => {
  it("is the free tier without a subscription, the subscribed tier while it is live, and never a canceled one", async () => {
    const user = await createUser(db.prisma);
    expect(await effectiveTier(db.prisma, user)).toMatchObject({ tier: "SCOUT", source: "free" });
    const future = new Date(Date.now() + 86_400_000);
    await db.prisma.subscription.create({ data: { userId: user.id, tier: "OPERATOR", status: "ACTIVE", stripeCustomerId: `cus_${user.id}`, currentPeriodEnd: future } });
    expect(await effectiveTier(db.prisma, user)).toMatchObject({ tier: "OPERATOR", source: "subscription" });
    await db.prisma.subscription.update({ where: { userId: user.id }, data: { status: "PAST_DUE" } });
    expect((await effectiveTier(db.prisma, user)).tier).toBe("OPERATOR");
    await db.prisma.subscription.update({ where: { userId: user.id }, data: { status: "PAST_DUE", currentPeriodEnd: new Date(Date.now() - 1000) } });
    expect((await effectiveTier(db.prisma, user)).tier).toBe("SCOUT");
    await db.prisma.subscription.update({ where: { userId: user.id }, data: { status: "CANCELED", currentPeriodEnd: future } });
    expect((await effectiveTier(db.prisma, user)).tier).toBe("SCOUT");
  });

  it("gives beta testers their tier until expiry or revocation", async () => {
    const user = await createUser(db.prisma);
    await db.prisma.betaTester.create({ data: { steamId: user.steamId, tier: "OVERLORD", expiresAt: new Date(Date.now() + 60_000) } });
    expect(await effectiveTier(db.prisma, user)).toMatchObject({ tier: "OVERLORD", source: "beta" });
    await db.prisma.betaTester.update({ where: { steamId: user.steamId }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await effectiveTier(db.prisma, user)).tier).toBe("SCOUT");
    await db.prisma.betaTester.update({ where: { steamId: user.steamId }, data: { expiresAt: null, revokedAt: new Date() } });
    expect((await effectiveTier(db.prisma, user)).tier).toBe("SCOUT");
  });

  it("refuses over the limit with what the tier allows and how to upgrade", async () => {
    const user = await createUser(db.prisma);
    const server = await createServer(db.prisma, user.id);
    const error = await addGuest(user, server.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverLimitError);
    expect((error as Error).message).toBe("Your SCOUT tier allows 0 guests per paired server and you have 0. Upgrade with `/subscribe` for more.");
    expect(await db.prisma.dashboardGuestAccess.count({ where: { pairedServerId: server.id } })).toBe(0);
  });

  it.runIf(testDatabaseKind === "postgres")("makes a concurrent add wait while another is deciding", async () => {
    const user = await createUser(db.prisma);
    const server = await createServer(db.prisma, user.id);
    const cfg = parseConfig({ STRIPE_SECRET_KEY: "sk_test_entitlements", TIER_LIMITS: '{"SCOUT":{"guestsPerServer":1}}' });
    const waiting = () => db.sql<{ n: bigint }>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
    let first = true;
    const attempt = () =>
      withinLimit(db.prisma, cfg, user, "guestsPerServer", async (tx) => {
        if (first) {
          first = false;
          // Hold the decision open until the other add is queued behind the lock (it would otherwise
          // count the same zero and both would pass).
          while (Number((await waiting())[0]?.n) < 1) await new Promise((r) => setImmediate(r));
        }
        return tx.dashboardGuestAccess.create({ data: { ownerUserId: user.id, pairedServerId: server.id, guestSteamId: steamId() } });
      }, server.id);
    const results = await Promise.allSettled([attempt(), attempt()]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  it("holds under concurrent adds: at the limit, exactly the allowance succeeds", async () => {
    const user = await createUser(db.prisma);
    const server = await createServer(db.prisma, user.id);
    const cfg = parseConfig({ STRIPE_SECRET_KEY: "sk_test_entitlements", TIER_LIMITS: '{"SCOUT":{"guestsPerServer":2}}' });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => addGuest(user, server.id, cfg)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(results.filter((r) => r.status === "rejected").every((r) => r.reason instanceof OverLimitError)).toBe(true);
    expect(await allowance(db.prisma, cfg, user, "guestsPerServer", server.id)).toMatchObject({ limit: 2, used: 2, remaining: 0 });
  });
});
