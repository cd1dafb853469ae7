// One process on the embedded database (npm start's default) that died without giving its work back — kill -9,
// a crash, a power cut — leaves its FleetLease rows behind, unexpired. The data directory's lock lets no other
// process open that database, so those leases can only be a dead process's: the restarted bot must take its live
// servers and push listeners back at once, not FLEET_LEASE_TTL_MS later, and /server connect must not tell the
// owner that "another process of the bot" keeps their connections.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";
import { testDatabaseKind } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";

const ANDROID_ID = "5550000000000000177";
const TOKEN = 31_337;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  rust = await FakeRustServer.start();
  // Ten minutes: a restart that waited for the dead process's leases to expire would not finish within the test.
  bot = await startTestBot(fake, { env: { FLEET_LEASE_TTL_MS: "600000" }, rust: { backoff: { baseMs: 20, maxMs: 200 } } });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
});

describe.skipIf(testDatabaseKind !== "embedded")("a restart after a crash, on the embedded database", () => {
  it("brings every live server and push listener back at once", async () => {
    const guildId = fake.createGuild({ name: "Crash Base" }).id;
    const player = fake.createUser();
    const user = await linkUser(bot.db.prisma, player.id);
    await setUpAndListen(fake, bot, { guildId, player, steamId: user.steamId, androidId: ANDROID_ID });
    rust.addPlayer(user.steamId, TOKEN);
    const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
    const server = await bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Crashland", ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    });
    await fake.sendCommand({ guildId, name: "server", subcommand: "connect", options: { server: server.id }, user: player }).then((h) => h.reply());
    await eventually(() => bot.ctx.rust.status(server.id)?.state.kind === "connected");

    // What the process held when it died: its leases stay as they were (unexpired), its process row too.
    const leases = await bot.db.prisma.fleetLease.findMany({ where: { holder: { not: null } } });
    const processes = await bot.db.prisma.fleetProcess.findMany();
    expect(leases.map((l) => l.key).sort()).toEqual(expect.arrayContaining([`server:${server.id}`]));
    await bot.restart(async () => {
      await bot.db.prisma.fleetProcess.createMany({ data: processes });
      for (const { key, ...lease } of leases) {
        await bot.db.prisma.fleetLease.upsert({ where: { key }, create: { key, ...lease, expiresAt: new Date(Date.now() + 600_000) }, update: { ...lease, expiresAt: new Date(Date.now() + 600_000) } });
      }
    });

    await bot.pushFeed.started(ANDROID_ID);
    await eventually(() => bot.ctx.rust.status(server.id)?.state.kind === "connected");
    expect(rust.connections).toBe(1);
    const reply = await fake.sendCommand({ guildId, name: "server", subcommand: "connect", options: { server: server.id }, user: player }).then((h) => h.reply());
    expect(reply.content).not.toContain("another process");
    expect(await bot.db.prisma.fleetProcess.count()).toBe(1);
  });
});
