// A notification channel the bot can no longer post in, and a guild the bot was removed from: the owner is
// told once by DM, nothing is dropped, and held alarms are posted when the permission comes back. Through
// discord.js against the fake Discord (403 50013 Missing Permissions; GUILD_DELETE) and the push feed.
import { OverwriteType, PermissionFlagsBits as P } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let player: ReturnType<FakeDiscord["createUser"]>;
let userId: string;
let steamId: string;
const ANDROID_ID = "4444444444444444442";

let seq = 0;
const alarm = (title: string) => ({
  persistentId: `0:${++seq}%loss`,
  appData: [
    { key: "channelId", value: "alarm" },
    { key: "title", value: title },
    { key: "message", value: "Your base is under attack!" },
    { key: "body", value: JSON.stringify({ ip: "203.0.113.9", port: "28015", name: "[US] Rustafied Main 🦀" }) },
  ],
});
const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
const titles = (name: string) => fake.messages(channel(name)).flatMap((m) => m.embeds.map((e) => e.title));

async function settle() {
  await bot.pushes.drained();
  await bot.notifier.idle();
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Moose Clan" }).id;
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

describe("a channel the bot may no longer post in", () => {
  it("holds its alarms, tells the owner once why, and posts them when the permission returns", async () => {
    const alarms = channel("alarms-and-raids");
    const botOverwrite = fake.channels(guildId).find((c) => c.id === alarms)!.permission_overwrites!.find((o) => o.id === fake.botUser.id)!;
    // A moderator denies the bot Send Messages in the channel.
    fake.setOverwrite(alarms, { id: fake.botUser.id, type: OverwriteType.Member, allow: "0", deny: String(P.SendMessages) });
    bot.pushFeed.deliver(ANDROID_ID, alarm("Front door"));
    await settle();
    bot.pushFeed.deliver(ANDROID_ID, alarm("Garage"));
    await settle();

    expect(titles("alarms-and-raids")).toEqual([]);
    const rows = await bot.db.prisma.notificationOutbox.findMany({ where: { userId, family: "ALARMS" } });
    expect(rows.map((r) => r.status)).toEqual(["BLOCKED", "BLOCKED"]);
    const dms = fake.dmMessages(player.id);
    expect(dms).toHaveLength(1);
    expect(dms[0]!.content).toContain(`<#${alarms}>`);
    expect(dms[0]!.content).toMatch(/Send Messages.*held, not dropped/s);

    // The permission comes back: the held alarms are posted, in order, and nobody is told again.
    const posted = fake.waitForCall((c) => c.method === "POST" && c.path === `/channels/${alarms}/messages` && c.status === 200);
    fake.setOverwrite(alarms, botOverwrite);
    await posted;
    await bot.notifier.idle();
    expect(titles("alarms-and-raids")).toEqual(["🚨 Front door", "🚨 Garage"]);
    expect(fake.dmMessages(player.id)).toHaveLength(1);
  });
});

describe("the bot removed from the guild", () => {
  it("stops posting there, holds notifications, and tells the owner by DM", async () => {
    const before = fake.dmMessages(player.id).length;
    const told = fake.waitForCall((c) => c.method === "POST" && c.route === "/channels/:id/messages" && JSON.stringify(c.body).includes("removed from"));
    fake.removeBot(guildId);
    await told;
    const dms = fake.dmMessages(player.id).slice(before);
    expect(dms.map((m) => m.content)).toEqual([expect.stringContaining("The bot was removed from **Moose Clan**")]);
    const integration = await bot.db.prisma.discordIntegration.findUniqueOrThrow({ where: { guildId } });
    expect(integration).toMatchObject({ alarmsChannelId: null, statusChannelId: null, categoryId: null });

    const calls = fake.calls.length;
    bot.pushFeed.deliver(ANDROID_ID, alarm("Tool cupboard"));
    await settle();
    expect(fake.calls.slice(calls).filter((c) => c.route === "/channels/:id/messages")).toEqual([]);
    const row = await bot.db.prisma.notificationOutbox.findFirstOrThrow({ where: { userId, family: "ALARMS" }, orderBy: { seq: "desc" } });
    expect(row).toMatchObject({ status: "BLOCKED", lastError: "no channel: run /setup" });
  });
});
