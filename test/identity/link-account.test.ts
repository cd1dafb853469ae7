import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkDiscordToSteam, SteamAccountOwned, unlinkDiscord } from "../../src/identity/link-account.ts";
import { findLinkedUser } from "../../src/identity/linked-user.ts";
import { sweepOnce } from "../../src/maintenance/sweep.ts";
import { consumeOneTimeToken, createOneTimeToken, useOnce } from "../../src/identity/one-time-tokens.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../helpers/database.ts";
import { createServer, createUser, steamId } from "../helpers/fixtures.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.dispose());

describe(`linking on ${testDatabaseKind}`, () => {
  it("creates the user, fills in guest grants made to their Steam id, and moves a re-linked Discord account", async () => {
    const owner = await createUser(db.prisma);
    const server = await createServer(db.prisma, owner.id);
    const guestSteam = steamId();
    await db.prisma.dashboardGuestAccess.create({ data: { ownerUserId: owner.id, pairedServerId: server.id, guestSteamId: guestSteam } });

    const first = await linkDiscordToSteam(db.prisma, { steamId: guestSteam, discordUserId: "300000000000000001", initialCredits: 0 });
    expect(first.created).toBe(true);
    expect((await db.prisma.dashboardGuestAccess.findFirstOrThrow({ where: { guestSteamId: guestSteam } })).guestUserId).toBe(first.user.id);
    expect((await findLinkedUser(db.prisma, "300000000000000001"))?.steamId).toBe(guestSteam);

    const other = steamId();
    const moved = await linkDiscordToSteam(db.prisma, { steamId: other, discordUserId: "300000000000000001", initialCredits: 0 });
    expect(moved.previousSteamId).toBe(guestSteam);
    expect((await findLinkedUser(db.prisma, "300000000000000001"))?.steamId).toBe(other);
    expect(await unlinkDiscord(db.prisma, "300000000000000001")).toBe(true);
    expect(await findLinkedUser(db.prisma, "300000000000000001")).toBeNull();
  });

  it("never moves a Steam account off another Discord account unless that account is named as consenting", async () => {
    const held = steamId();
    await linkDiscordToSteam(db.prisma, { steamId: held, discordUserId: "300000000000000011", initialCredits: 0 });
    await expect(linkDiscordToSteam(db.prisma, { steamId: held, discordUserId: "300000000000000012", initialCredits: 0 })).rejects.toThrow(SteamAccountOwned);
    await expect(linkDiscordToSteam(db.prisma, { steamId: held, discordUserId: "300000000000000012", movingFrom: "300000000000000013", initialCredits: 0 })).rejects.toThrow(SteamAccountOwned);
    expect((await findLinkedUser(db.prisma, "300000000000000011"))?.steamId).toBe(held);
    expect(await findLinkedUser(db.prisma, "300000000000000012")).toBeNull();
    const moved = await linkDiscordToSteam(db.prisma, { steamId: held, discordUserId: "300000000000000012", movingFrom: "300000000000000011", initialCredits: 0 });
    expect(moved.movedFromDiscordUserId).toBe("300000000000000011");
    expect(await findLinkedUser(db.prisma, "300000000000000011")).toBeNull();
    expect((await findLinkedUser(db.prisma, "300000000000000012"))?.steamId).toBe(held);
  });

  it("consumes a one-time token once, only for its purpose, and never after expiry", async () => {
    const { token } = await createOneTimeToken(db.prisma, { purpose: "LINK_DISCORD", subject: "42", ttlMs: 60_000 });
    expect(await consumeOneTimeToken(db.prisma, "LOGIN_STATE", token)).toBeNull();
    const results = await Promise.all([consumeOneTimeToken(db.prisma, "LINK_DISCORD", token), consumeOneTimeToken(db.prisma, "LINK_DISCORD", token)]);
    expect(results.filter(Boolean)).toEqual([{ subject: "42", payload: null }]);
    const expired = await createOneTimeToken(db.prisma, { purpose: "LINK_DISCORD", subject: "43", ttlMs: -1 });
    expect(await consumeOneTimeToken(db.prisma, "LINK_DISCORD", expired.token)).toBeNull();
    expect(await useOnce(db.prisma, "OPENID_NONCE", "nonce-1", 60_000)).toBe(true);
    expect(await useOnce(db.prisma, "OPENID_NONCE", "nonce-1", 60_000)).toBe(false);
    await createOneTimeToken(db.prisma, { purpose: "LOGIN_STATE", subject: "44", ttlMs: -1 });
    const swept = await sweepOnce(db.prisma);
    expect(swept.tokens).toBe(2);
    expect(await db.prisma.oneTimeToken.count({ where: { expiresAt: { lte: new Date() } } })).toBe(0);
  });
});
