// The migration to one DiscordIntegration per guild, on rows written by the schema before it: every user
// who had an integration keeps it (routed to its guild), two users' integrations in one guild become one
// without losing a channel, and each user's notifications still resolve to the same channels.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR } from "../../src/db/migrations.ts";
import { PrismaClient } from "../../src/generated/prisma/client.ts";
import { familyChannel } from "../../src/notify/family-channel.ts";
import { createEmptyDatabase } from "../helpers/database.ts";

const MIGRATION = "20261130160000_guild_integrations";
const scratch = await mkdtemp(join(tmpdir(), "guild-migration-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe(`migration ${MIGRATION}`, () => {
  it("keeps every user's integration as their guild's, merges one guild's rows, and routes as before", async () => {
    const before = join(scratch, "before");
    await cp(MIGRATIONS_DIR, before, { recursive: true, filter: (src) => !src.includes(MIGRATION) });
    const empty = await createEmptyDatabase();
    const factory = empty.migrationFactory();
    const prisma = new PrismaClient({ adapter: factory });
    try {
      expect(await applyMigrations(factory, before)).not.toContain(MIGRATION);
      const sql = (query: string) => prisma.$executeRawUnsafe(query);
      for (const [id, steam, discord] of [["u1", "76561198000000001", "111111111111111111"], ["u2", "76561198000000002", "222222222222222222"], ["u3", "76561198000000003", "333333333333333333"]] as const) {
        await sql(`INSERT INTO "User" (id, "steamId", "displayName") VALUES ('${id}', '${steam}', '${id}')`);
        await sql(`INSERT INTO "Account" (id, "userId", provider, "providerAccountId") VALUES ('a${id}', '${id}', 'discord', '${discord}')`);
      }
      // u1 and u2 each ran /setup in guild 900 (u2 later, after the shop channel was deleted); u3 in guild 901.
      await sql(`INSERT INTO "DiscordIntegration" (id, "userId", "guildId", "guildName", "alarmsChannelId", "shopChannelId", "updatedAt") VALUES ('i1', 'u1', '900000000000000000', 'Clan', '910000000000000001', '910000000000000002', '2026-11-01')`);
      await sql(`INSERT INTO "DiscordIntegration" (id, "userId", "guildId", "guildName", "alarmsChannelId", "statusChannelId", "shopEnabled", "updatedAt") VALUES ('i2', 'u2', '900000000000000000', 'Clan', '910000000000000001', '910000000000000003', false, '2026-11-02')`);
      await sql(`INSERT INTO "DiscordIntegration" (id, "userId", "guildId", "guildName", "alarmsChannelId", "updatedAt") VALUES ('i3', 'u3', '901000000000000000', 'Other', '920000000000000001', '2026-11-01')`);

      expect(await applyMigrations(factory)).toEqual([MIGRATION]);

      const rows = await prisma.discordIntegration.findMany({ orderBy: { guildId: "asc" } });
      expect(rows).toMatchObject([
        { id: "i2", guildId: "900000000000000000", alarmsChannelId: "910000000000000001", statusChannelId: "910000000000000003", shopChannelId: "910000000000000002", shopEnabled: false, setupByDiscordId: "222222222222222222" },
        { id: "i3", guildId: "901000000000000000", alarmsChannelId: "920000000000000001", setupByDiscordId: "333333333333333333" },
      ]);
      const users = await prisma.user.findMany({ orderBy: { id: "asc" }, select: { id: true, notificationGuildId: true } });
      expect(users).toEqual([
        { id: "u1", notificationGuildId: "900000000000000000" },
        { id: "u2", notificationGuildId: "900000000000000000" },
        { id: "u3", notificationGuildId: "901000000000000000" },
      ]);
      // Each user's alarms still go where they went.
      expect(await familyChannel(prisma, "u1", "ALARMS")).toEqual({ channelId: "910000000000000001" });
      expect(await familyChannel(prisma, "u3", "ALARMS")).toEqual({ channelId: "920000000000000001" });
      expect(await familyChannel(prisma, "u1", "STATUS")).toEqual({ channelId: "910000000000000003" });
    } finally {
      await prisma.$disconnect();
      await empty.dispose();
    }
  });
});
