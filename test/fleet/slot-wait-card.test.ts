// A server that waits for a connection slot says so on /server list and /server info — not "connecting",
// "unreachable" or "offline" — reads "connected" again once its socket is open, and ends when the owner disconnects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stateLine } from "../../src/pairing/server-card.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  // A Rust server that lets no one in (every slot of the bot's address taken): the bot's socket keeps retrying.
  rust = await FakeRustServer.start({ limits: { maxConnectionsPerIp: 0 } });
  bot = await startTestBot(fake, { rust: { backoff: { baseMs: 20, maxMs: 200 } } });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
});

describe("a server waiting for a connection slot", () => {
  it("shows 'waiting for a connection slot' on /server list and /server info", async () => {
    const guildId = fake.createGuild({ name: "Raid Base" }).id;
    const player = fake.createUser();
    const user = await linkUser(bot.db.prisma, player.id);
    const server = await bot.db.prisma.pairedServer.create({
      data: {
        userId: user.id, serverName: "Rustoria US Main", ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: Buffer.from("x"),
        playerTokenKeyVersion: 1, live: true, slotWaitSince: new Date(),
      },
    });
    const list = await fake.sendCommand({ guildId, name: "server", subcommand: "list", user: player }).then((h) => h.reply());
    expect(list.content).toContain("🟡 **Rustoria US Main** — waiting for a connection slot");
    const info = await fake.sendCommand({ guildId, name: "server", subcommand: "info", options: { server: server.id }, user: player }).then((h) => h.reply());
    expect(info.embeds?.[0]?.fields?.find((f) => f.name === "Status")?.value).toBe("🟡 waiting for a connection slot");

    // Disconnecting ends the wait: connecting again later and finding no slot is a new wait, told anew.
    await fake.sendCommand({ guildId, name: "server", subcommand: "disconnect", options: { server: server.id }, user: player }).then((h) => h.reply());
    expect(await bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { id: server.id } })).toMatchObject({ live: false, slotWaitSince: null });
  });

  it("a connected socket wins over a stale wait; a disconnected server is offline", () => {
    const row = { id: "s", serverName: "X", ip: "127.0.0.1", port: 1, live: true, needsRepairSince: null, slotWaitSince: new Date() };
    const snapshot = null;
    expect(stateLine(row, { state: { kind: "connected", since: 0 }, snapshot }).text).toBe("connected");
    expect(stateLine(row, { state: { kind: "waiting", attempt: 3, retryAt: 0, reason: "the connection closed" }, snapshot }).text).toBe("waiting for a connection slot");
    expect(stateLine(row, null).text).toBe("waiting for a connection slot");
    expect(stateLine({ ...row, live: false }, null).text).toBe("offline (not connected)");
    expect(stateLine({ ...row, slotWaitSince: null }, { state: { kind: "connecting", attempt: 0 }, snapshot }).text).toBe("connecting");
  });
});
