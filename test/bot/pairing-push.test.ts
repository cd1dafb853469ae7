// Pushes through the listener: a server pairing becomes a PairedServer and a status message; pushes are
// handled once, across restarts; malformed ones are dropped without harm.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let player: ReturnType<FakeDiscord["createUser"]>;
let userId: string;
let steamId: string;
const ANDROID_ID = "4444444444444444444";

const pairing = (persistentId: string, playerToken = "-1234567890") => ({
  persistentId,
  appData: [
    { key: "channelId", value: "pairing" },
    { key: "title", value: "Rustopia EU Main" },
    { key: "message", value: "Tap to pair with this server." },
    { key: "body", value: JSON.stringify({ img: "", port: "28083", ip: "203.0.113.7", name: "Rustopia EU Main", id: "a-uuid", type: "server", url: "", desc: "", playerId: steamId, playerToken }) },
  ],
});
const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;

async function settle() {
  await bot.pushes.drained();
  await bot.notifier.idle();
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Pairing" }).id;
  bot = await startTestBot(fake);
  player = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  userId = user.id;
  steamId = user.steamId;
  await setUpAndListen(fake, bot, { guildId, player, steamId, androidId: ANDROID_ID });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("pushes", () => {
  it("pairs a server from its push: the row with the token encrypted, and a status message", async () => {
    bot.pushFeed.deliver(ANDROID_ID, pairing("0:1%pair"));
    await settle();
    const server = await bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { userId_ip_port: { userId, ip: "203.0.113.7", port: 28083 } } });
    expect(server).toMatchObject({ serverName: "Rustopia EU Main", playerSteamId: steamId });
    expect(bot.ctx.secrets.open("PairedServer.playerToken", { ciphertext: server.playerToken, keyVersion: server.playerTokenKeyVersion })).toBe("-1234567890");
    // It says where the server's notifications go and how to change that.
    expect(fake.messages(channel("server-status")).map((m) => m.embeds[0]?.description)).toEqual([
      expect.stringMatching(/^Paired with Rustopia EU Main \(203\.0\.113\.7:28083\)\. Connect to keep it live\.\n\nNotifications for your servers go to \*\*.+\*\*\. To use another server, run `\/setup use-here` there\.$/),
    ]);
    expect((await bot.db.prisma.fcmCredential.findUniqueOrThrow({ where: { userId } })).lastPushAt).not.toBeNull();
  });

  it("handles a redelivered push once, and re-pairing updates the same server", async () => {
    bot.pushFeed.deliver(ANDROID_ID, pairing("0:1%pair"));
    await settle();
    expect(fake.messages(channel("server-status"))).toHaveLength(1);
    bot.pushFeed.deliver(ANDROID_ID, pairing("0:2%repair", "777"));
    await settle();
    expect(await bot.db.prisma.pairedServer.count({ where: { userId } })).toBe(1);
    const server = await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { userId } });
    expect(bot.ctx.secrets.open("PairedServer.playerToken", { ciphertext: server.playerToken, keyVersion: server.playerTokenKeyVersion })).toBe("777");
  });

  it("drops malformed and unknown pushes with a log line, and keeps working", async () => {
    bot.pushFeed.deliver(ANDROID_ID, { persistentId: "0:3%bad", appData: [{ key: "channelId", value: "pairing" }, { key: "body", value: "{oops" }] });
    bot.pushFeed.deliver(ANDROID_ID, "not even an object");
    bot.pushFeed.deliver(ANDROID_ID, { persistentId: "0:4%alarm", appData: [{ key: "channelId", value: "alarm" }, { key: "title", value: "Front door" }, { key: "message", value: "Motion" }, { key: "body", value: JSON.stringify({ ip: "203.0.113.7", port: "28083", name: "Rustopia EU Main" }) }] });
    await settle();
    expect(bot.logs.filter((l) => l["msg"] === "dropped a push").map((l) => l["reason"])).toEqual([expect.stringContaining("malformed pairing body"), "not a push data message"]);
    expect(fake.messages(channel("alarms-and-raids")).map((m) => m.embeds[0]?.title)).toEqual(["🚨 Front door"]);
  });

  it("after a restart, hands the seen persistent ids back and does not replay an old push", async () => {
    await bot.restart();
    await bot.pushFeed.started(ANDROID_ID);
    expect(bot.pushFeed.running.get(ANDROID_ID)?.persistentIds).toEqual(expect.arrayContaining(["0:1%pair", "0:2%repair", "0:3%bad", "0:4%alarm"]));
    bot.pushFeed.deliver(ANDROID_ID, pairing("0:1%pair"));
    await settle();
    expect(fake.messages(channel("server-status"))).toHaveLength(2);
  });
});
