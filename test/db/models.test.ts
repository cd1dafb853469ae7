import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../src/generated/prisma/client.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../helpers/database.ts";
import { createServer, createUser, steamId } from "../helpers/fixtures.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.dispose());

const MODELS = [
  "User", "Account", "Subscription", "BetaTester", "StripeWebhookEvent", "Credit", "Purchase", "OneTimeToken",
  "PairedServer", "FcmCredential", "DevicePairing", "DiscordIntegration", "DashboardGuestAccess", "MapNote",
  "SmartDevice", "TrackedShopItem", "PlayerIntelNote", "PlayerSteamLink", "Watchlist", "SavedConveyorFilter",
  "SavedGeneBatch", "Item", "ConveyorShortname", "ContentStore", "AdminAudit", "BattleMetricsQuota", "NotificationOutbox", "PushReceipt", "LiveMessage",
  "MapImage", "LiveMap", "CreditLedger", "IntegrationState", "IntelServer", "PlayerSession", "ShopMarket", "ShopPriceHour", "ShopSale",
  "FleetLease", "FleetProcess", "RustServerLimit",
];

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected Prisma error ${code}`).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
  expect((error as Prisma.PrismaClientKnownRequestError).code).toBe(code);
}

describe(`data model on ${testDatabaseKind}`, () => {
  it("has a table for every model, and every model is queryable", async () => {
    const rows = await db.sql<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'",
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...MODELS].sort());
    for (const model of MODELS) {
      const delegate = (db.prisma as unknown as Record<string, { count(): Promise<number> }>)[
        model.charAt(0).toLowerCase() + model.slice(1)
      ];
      expect(await delegate!.count(), model).toBeGreaterThanOrEqual(0);
    }
  });

  it("refuses duplicates where the model is unique", async () => {
    const p = db.prisma;
    const user = await createUser(p);
    const other = await createUser(p);
    const server = await createServer(p, user.id);
    const day = new Date("2026-11-23T00:00:00Z");
    await p.item.create({ data: { id: -2_139_580_305, shortname: "stones", name: "Stones", category: "Resources", stackSize: 1000 } });

    // [model and unique key, the insert that must be refused, the first insert when the row is not there yet]
    const insertTwice = "twice";
    const cases: [string, () => Promise<unknown>, (() => Promise<unknown>) | typeof insertTwice | undefined][] = [
      ["User.steamId", () => p.user.create({ data: { steamId: user.steamId, displayName: "x" } }), undefined],
      ["Account provider+id", () => p.account.create({ data: { userId: other.id, provider: "discord", providerAccountId: "111111111111111111" } }), () => p.account.create({ data: { userId: user.id, provider: "discord", providerAccountId: "111111111111111111" } })],
      ["Account user+provider", () => p.account.create({ data: { userId: user.id, provider: "discord", providerAccountId: String(Date.now()) + "00000" } }), undefined],
      ["Subscription.userId", () => p.subscription.create({ data: { userId: user.id, status: "ACTIVE", stripeCustomerId: `cus_${Math.random()}` } }), insertTwice],
      ["Credit.userId", () => p.credit.create({ data: { userId: user.id } }), insertTwice],
      ["Purchase.stripeId", () => p.purchase.create({ data: { userId: other.id, stripeId: "cs_1", amountCents: 500, creditsAdded: 100, packageName: "Starter" } }), insertTwice],
      ["StripeWebhookEvent.id", () => p.stripeWebhookEvent.create({ data: { id: "evt_1", type: "invoice.paid" } }), insertTwice],
      ["OneTimeToken.tokenHash", () => p.oneTimeToken.create({ data: { purpose: "LINK_DISCORD", tokenHash: "h1", subject: "1", expiresAt: day } }), insertTwice],
      ["PairedServer user+ip+port", () => createServer(p, user.id, { ip: server.ip, port: server.port }), undefined],
      ["FcmCredential.userId", () => p.fcmCredential.create({ data: { userId: user.id, blobEncrypted: new Uint8Array(1), keyVersion: 1 } }), insertTwice],
      ["DiscordIntegration.guildId", () => p.discordIntegration.create({ data: { guildId: "1", guildName: "g" } }), insertTwice],
      ["SmartDevice server+entity", () => p.smartDevice.create({ data: { pairedServerId: server.id, kind: "SWITCH", entityId: 4_000_000_000n, name: "door" } }), insertTwice],
      ["SmartDevice server+command", () => p.smartDevice.create({ data: { pairedServerId: server.id, kind: "SWITCH", entityId: 7n, name: "b", customCommand: "door" } }), () => p.smartDevice.create({ data: { pairedServerId: server.id, kind: "SWITCH", entityId: 6n, name: "a", customCommand: "door" } })],
      ["DashboardGuestAccess server+guest", () => p.dashboardGuestAccess.create({ data: { ownerUserId: user.id, pairedServerId: server.id, guestSteamId: other.steamId } }), insertTwice],
      ["TrackedShopItem server+user+item", () => p.trackedShopItem.create({ data: { pairedServerId: server.id, userId: user.id, itemId: -2_139_580_305 } }), insertTwice],
      ["PlayerIntelNote server+steam", () => p.playerIntelNote.create({ data: { pairedServerId: server.id, steamId: other.steamId, playerName: "x" } }), insertTwice],
      ["PlayerSteamLink.battlemetricsPlayerId", () => p.playerSteamLink.create({ data: { battlemetricsPlayerId: "123", steamId: other.steamId } }), insertTwice],
      ["Watchlist user+name", () => p.watchlist.create({ data: { userId: user.id, name: "raiders", filter: {} } }), insertTwice],
      ["SavedConveyorFilter user+name", () => p.savedConveyorFilter.create({ data: { userId: user.id, name: "sorter", manifest: [] } }), insertTwice],
      ["Item.shortname", () => p.item.create({ data: { id: 1, shortname: "stones", name: "S", category: "R", stackSize: 1 } }), undefined],
      ["ConveyorShortname.shortname", () => p.conveyorShortname.create({ data: { shortname: "rock", itemId: -2_139_580_305 } }), insertTwice],
      ["ContentStore.key", () => p.contentStore.create({ data: { key: "faq", value: [] } }), insertTwice],
      ["BetaTester.steamId", () => p.betaTester.create({ data: { steamId: other.steamId, tier: "OPERATOR" } }), insertTwice],
      ["DevicePairing.codeHash", () => p.devicePairing.create({ data: { userId: user.id, codeHash: "c1", expiresAt: day } }), insertTwice],
      ["BattleMetricsQuota user+day", () => p.battleMetricsQuota.create({ data: { userId: user.id, day } }), insertTwice],
    ];
    for (const [name, insert, first] of cases) {
      if (first === insertTwice) await insert();
      else await first?.();
      await expectCode(insert(), "P2002").catch((error: Error) => {
        throw new Error(`${name}: ${error.message}`);
      });
    }
  });

  it("keeps many purchases per user (seed 004's unique userId is a contradiction)", async () => {
    const user = await createUser(db.prisma);
    for (const stripeId of ["cs_a", "cs_b", "cs_c"]) {
      await db.prisma.purchase.create({ data: { userId: user.id, stripeId, amountCents: 499, creditsAdded: 100, packageName: "Starter" } });
    }
    expect(await db.prisma.purchase.count({ where: { userId: user.id } })).toBe(3);
  });

  it("stores 64-bit Steam ids and uint32 entity ids exactly", async () => {
    const user = await createUser(db.prisma, { steamId: "76561198999999999" });
    const server = await createServer(db.prisma, user.id);
    await db.prisma.smartDevice.create({ data: { pairedServerId: server.id, kind: "ALARM", entityId: 4_294_967_295n, name: "TC alarm" } });
    const read = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, include: { pairedServers: { include: { smartDevices: true } } } });
    expect(read.steamId).toBe("76561198999999999");
    expect(read.pairedServers[0]?.smartDevices[0]?.entityId).toBe(4_294_967_295n);
  });

  it("deletes everything a user owns with the user, and keeps what outlives them", async () => {
    const p = db.prisma;
    const owner = await createUser(p);
    const guest = await createUser(p);
    const admin = await createUser(p);
    const server = await createServer(p, owner.id);
    const at = new Date("2026-12-01T00:00:00Z");
    await p.account.create({ data: { userId: owner.id, provider: "discord", providerAccountId: "222222222222222222" } });
    await p.subscription.create({ data: { userId: owner.id, tier: "OPERATOR", status: "ACTIVE", stripeCustomerId: "cus_owner" } });
    await p.credit.create({ data: { userId: owner.id, balance: 50 } });
    await p.fcmCredential.create({ data: { userId: owner.id, blobEncrypted: new Uint8Array([1, 2]), keyVersion: 1 } });
    await p.devicePairing.create({ data: { userId: owner.id, codeHash: "owner-code", expiresAt: at } });
    // The guild's setup serves its other members: it outlives the user who chose it.
    await p.discordIntegration.create({ data: { guildId: "3", guildName: "Clan" } });
    await p.user.update({ where: { id: owner.id }, data: { notificationGuildId: "3" } });
    await p.smartDevice.create({ data: { pairedServerId: server.id, kind: "SWITCH", entityId: 1n, name: "lights" } });
    await p.mapNote.create({ data: { pairedServerId: server.id, category: "SAM", x: 1, y: 2 } });
    await p.trackedShopItem.create({ data: { pairedServerId: server.id, userId: owner.id, itemId: 1 } });
    await p.playerIntelNote.create({ data: { pairedServerId: server.id, playerName: "roofcamper", tags: ["raider"] } });
    await p.watchlist.create({ data: { userId: owner.id, pairedServerId: server.id, name: "w", filter: { tags: ["raider"] } } });
    await p.savedConveyorFilter.create({ data: { userId: owner.id, name: "f", manifest: [] } });
    await p.savedGeneBatch.create({ data: { userId: owner.id, name: "g", clones: ["GGYYHH"], weights: {}, results: [] } });
    await p.battleMetricsQuota.create({ data: { userId: owner.id, day: at, used: 3 } });
    const grant = await p.dashboardGuestAccess.create({
      data: { ownerUserId: owner.id, pairedServerId: server.id, guestSteamId: guest.steamId, guestUserId: guest.id },
    });
    const audit = await p.adminAudit.create({ data: { actorSteamId: admin.steamId, actorUserId: admin.id, action: "beta.add" } });

    // A guest leaving keeps the grant (by Steam id) but drops the link to their User.
    await p.user.delete({ where: { id: guest.id } });
    expect((await p.dashboardGuestAccess.findUniqueOrThrow({ where: { id: grant.id } })).guestUserId).toBeNull();
    // An admin leaving keeps the audit row.
    await p.user.delete({ where: { id: admin.id } });
    expect(await p.adminAudit.findUniqueOrThrow({ where: { id: audit.id } })).toMatchObject({ actorUserId: null, actorSteamId: admin.steamId });

    await p.user.delete({ where: { id: owner.id } });
    const left = await Promise.all([
      p.account.count({ where: { userId: owner.id } }),
      p.subscription.count({ where: { userId: owner.id } }),
      p.credit.count({ where: { userId: owner.id } }),
      p.fcmCredential.count({ where: { userId: owner.id } }),
      p.devicePairing.count({ where: { userId: owner.id } }),
      p.pairedServer.count({ where: { userId: owner.id } }),
      p.smartDevice.count({ where: { pairedServerId: server.id } }),
      p.mapNote.count({ where: { pairedServerId: server.id } }),
      p.trackedShopItem.count({ where: { pairedServerId: server.id } }),
      p.playerIntelNote.count({ where: { pairedServerId: server.id } }),
      p.dashboardGuestAccess.count({ where: { pairedServerId: server.id } }),
      p.watchlist.count({ where: { userId: owner.id } }),
      p.savedConveyorFilter.count({ where: { userId: owner.id } }),
      p.savedGeneBatch.count({ where: { userId: owner.id } }),
      p.battleMetricsQuota.count({ where: { userId: owner.id } }),
    ]);
    expect(left).toEqual(left.map(() => 0));
    expect(await p.discordIntegration.count({ where: { guildId: "3" } })).toBe(1);
  });

  it("deletes a paired server's devices, notes, watches, intel and grants with it, not its owner", async () => {
    const p = db.prisma;
    const owner = await createUser(p);
    const server = await createServer(p, owner.id);
    const kept = await createServer(p, owner.id);
    await p.smartDevice.create({ data: { pairedServerId: server.id, kind: "STORAGE_MONITOR", entityId: 9n, name: "TC" } });
    await p.smartDevice.create({ data: { pairedServerId: kept.id, kind: "STORAGE_MONITOR", entityId: 9n, name: "TC" } });
    await p.mapNote.create({ data: { pairedServerId: server.id, category: "DEATH", x: 0, y: 0 } });
    await p.pairedServer.delete({ where: { id: server.id } });
    expect(await p.smartDevice.count({ where: { pairedServerId: server.id } })).toBe(0);
    expect(await p.mapNote.count({ where: { pairedServerId: server.id } })).toBe(0);
    expect(await p.smartDevice.count({ where: { pairedServerId: kept.id } })).toBe(1);
    expect(await p.user.count({ where: { id: owner.id } })).toBe(1);
  });

  it("refuses to delete a user implicitly while purchase records reference them", async () => {
    const user = await createUser(db.prisma);
    await db.prisma.purchase.create({ data: { userId: user.id, stripeId: "cs_restrict", amountCents: 100, creditsAdded: 10, packageName: "Tiny" } });
    await expect(db.prisma.user.delete({ where: { id: user.id } })).rejects.toThrow();
    expect(await db.prisma.user.count({ where: { id: user.id } })).toBe(1);
  });

  it("deletes an item's conveyor names with the item", async () => {
    await db.prisma.item.create({ data: { id: 317_398_316, shortname: "metal.refined", name: "High Quality Metal", category: "Resources", stackSize: 100 } });
    await db.prisma.conveyorShortname.create({ data: { shortname: "hqm", itemId: 317_398_316 } });
    await db.prisma.item.delete({ where: { id: 317_398_316 } });
    expect(await db.prisma.conveyorShortname.count({ where: { shortname: "hqm" } })).toBe(0);
  });

  it("allows several grants for one guest on different servers, and credits below zero", async () => {
    const owner = await createUser(db.prisma);
    const s1 = await createServer(db.prisma, owner.id);
    const s2 = await createServer(db.prisma, owner.id);
    const guest = steamId();
    for (const s of [s1, s2]) {
      await db.prisma.dashboardGuestAccess.create({ data: { ownerUserId: owner.id, pairedServerId: s.id, guestSteamId: guest } });
    }
    const credit = await db.prisma.credit.create({ data: { userId: owner.id, balance: 5 } });
    const after = await db.prisma.credit.update({ where: { id: credit.id }, data: { balance: { decrement: 20 } } });
    expect(after.balance).toBe(-15);
  });
});
