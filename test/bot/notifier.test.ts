// The notifier through the real REST client and the fake Discord.
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationEvent } from "../../src/notify/events.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let userId: string;
let guildId: string;
let discordUser: ReturnType<FakeDiscord["createUser"]>;

const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
let n = 0;
const alarm = (name = "TC alarm"): NotificationEvent => ({ kind: "alarm", serverName: "Rustoria EU", alarmName: name, grid: "G12", at: new Date().toISOString() });
const notify = (event: NotificationEvent, dedupeKey = `k${++n}`) => bot.notifier.notify({ userId, event, dedupeKey });

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Notified" }).id;
  bot = await startTestBot(fake);
  discordUser = fake.createUser();
  userId = (await linkUser(bot.db.prisma, discordUser.id)).id;
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: discordUser, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("the notifier", () => {
  it("posts an event to its family's channel as an embed, once per dedupe key", async () => {
    expect(await notify(alarm("Front door"), "alarm:1")).toBe("queued");
    expect(await notify(alarm("Front door"), "alarm:1")).toBe("duplicate");
    await bot.notifier.idle();
    const messages = fake.messages(channel("alarms-and-raids"));
    expect(messages).toHaveLength(1);
    expect(messages[0]?.embeds[0]).toMatchObject({ title: "🚨 Front door at G12", footer: { text: "Rustoria EU" } });
    const row = await bot.db.prisma.notificationOutbox.findUniqueOrThrow({ where: { dedupeKey: "alarm:1" } });
    expect(row).toMatchObject({ status: "SENT", messageId: messages[0]?.id });
  });

  it("does not post a family that is switched off", async () => {
    await fake.sendCommand({ guildId, name: "setup", subcommand: "families", options: { family: "DEATHS", enabled: false }, user: discordUser, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
    expect(await notify({ kind: "death", serverName: "Rustoria EU", player: "Bob", at: new Date().toISOString() })).toBe("family-off");
    await bot.notifier.idle();
    expect(fake.messages(channel("deaths-and-logins"))).toEqual([]);
  });

  it("neutralises mentions and markdown in player text", async () => {
    await notify({ kind: "team-chat", serverName: "Rustoria EU", author: "**Bob**", text: "@everyone raid <@&123> now", at: new Date().toISOString() });
    await bot.notifier.idle();
    const [message] = fake.messages(channel("team-chat"));
    expect(message?.embeds[0]?.description).not.toContain("@everyone");
    expect(message?.embeds[0]?.author?.name).toBe("\\*\\*Bob\\*\\*");
  });

  it("coalesces a burst of 50 events to one channel into 5 messages, complete and in order", async () => {
    await bot.db.prisma.$transaction(async (tx) => {
      for (let i = 0; i < 50; i++) {
        await bot.notifier.notify({ userId, event: { kind: "map-event", serverName: "Rustoria EU", event: "Cargo ship", text: `event ${i}`, at: new Date().toISOString() }, dedupeKey: `burst:${i}` }, tx);
      }
    });
    await bot.notifier.idle();
    const messages = fake.messages(channel("events"));
    expect(messages).toHaveLength(5);
    expect(messages.flatMap((m) => m.embeds.map((e) => e.description))).toEqual(Array.from({ length: 50 }, (_, i) => `event ${i}`));
  });

  it("keeps everything when 50 arrive one by one, in fewer messages", async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => notify({ kind: "shop-alert", serverName: "S", title: "Rocket", lines: [`1 for ${100 + i} Scrap`], at: new Date().toISOString() })));
    await bot.notifier.idle();
    const messages = fake.messages(channel("shop"));
    expect(messages.length).toBeLessThan(50);
    expect(messages.flatMap((m) => m.embeds).length).toBe(50);
  });

  it("retries a 429 and a 503, and posts once", async () => {
    const target = channel("player-intel");
    fake.failNext({ method: "POST", route: "/channels/:id/messages", status: 429, retryAfter: 0.05 });
    fake.failNext({ method: "POST", route: "/channels/:id/messages", status: 503 });
    await notify({ kind: "tracked-player", serverName: "S", player: "Roofcamper", text: "came online", at: new Date().toISOString() });
    await bot.notifier.idle();
    expect(fake.messages(target)).toHaveLength(1);
    expect(fake.calls.filter((c) => c.path === `/channels/${target}/messages`).map((c) => c.status)).toEqual([429, 503, 200]);
  });

  it("holds events for a deleted channel until /setup repairs it, then posts them", async () => {
    const old = channel("server-status");
    fake.deleteChannel(old);
    await notify({ kind: "server-status", serverName: "S", text: "Server restarted", at: new Date().toISOString() }, "status:1");
    await bot.notifier.idle();
    expect(await bot.db.prisma.notificationOutbox.findUniqueOrThrow({ where: { dedupeKey: "status:1" } })).toMatchObject({ status: "BLOCKED" });
    expect((await bot.db.prisma.discordIntegration.findUniqueOrThrow({ where: { guildId } })).statusChannelId).toBeNull();

    await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: discordUser, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
    await bot.notifier.idle();
    const repaired = channel("server-status");
    expect(repaired).not.toBe(old);
    expect(fake.messages(repaired).map((m) => m.embeds[0]?.description)).toEqual(["Server restarted"]);
  });
});
