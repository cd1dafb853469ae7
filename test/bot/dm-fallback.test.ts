// Without /setup, STATUS notifications reach the user by DM; other families are not sent anywhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationEvent } from "../../src/notify/events.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot, routeTo } from "../helpers/bot.ts";
import { steamId } from "../helpers/fixtures.ts";

let fake: FakeDiscord;
let bot: TestBot;

const at = () => new Date().toISOString();
const offline: NotificationEvent = { kind: "server-status", serverName: "Rustoria EU", text: "Rustoria EU went offline", at: at() };
const alarm: NotificationEvent = { kind: "alarm", serverName: "Rustoria EU", alarmName: "Front door", at: at() };

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.createGuild({ name: "Somewhere" });
  bot = await startTestBot(fake);
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("the DM fallback", () => {
  it("sends a user without /setup the status event by DM, buttons included; the alarm waits and they are told once", async () => {
    const player = fake.createUser();
    const { id: userId } = await linkUser(bot.db.prisma, player.id);
    const buttons = [{ customId: "probe:reconnect:1", label: "Reconnect", style: "primary" as const }];
    expect(await bot.notifier.notify({ userId, event: { ...offline, buttons }, dedupeKey: "dm:status" })).toBe("queued");
    expect(await bot.notifier.notify({ userId, event: { kind: "account", title: "Payment failed", text: "Update your card", at: at() }, dedupeKey: "dm:account" })).toBe("queued");
    // The alarm is not dropped: it waits for a guild (team-day.test.ts posts one once /setup is run).
    expect(await bot.notifier.notify({ userId, event: alarm, dedupeKey: "dm:alarm" })).toBe("queued");
    expect(await bot.notifier.notify({ userId, event: { ...alarm, alarmName: "Garage" }, dedupeKey: "dm:alarm2" })).toBe("queued");
    await bot.notifier.idle();

    const all = fake.dmMessages(player.id);
    const notes = all.filter((m) => !m.embeds.length).map((m) => m.content);
    expect(notes).toEqual([expect.stringContaining("wait until an admin runs `/setup run` in your team's server")]);
    const dms = all.filter((m) => m.embeds.length);
    expect(dms.map((m) => m.embeds.map((e) => e.description))).toEqual([["Rustoria EU went offline"], ["Update your card"]]);
    expect(dms[0]?.components).toMatchObject([{ components: [{ custom_id: "probe:reconnect:1", label: "Reconnect" }] }]);
    const rows = await bot.db.prisma.notificationOutbox.findMany({ where: { userId }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.dedupeKey, r.status, r.channelId])).toEqual([
      ["dm:status", "SENT", dms[0]?.channel_id],
      ["dm:account", "SENT", dms[0]?.channel_id],
      ["dm:alarm", "BLOCKED", null],
      ["dm:alarm2", "BLOCKED", null],
    ]);
  });

  it("marks the row FAILED, once, when the user does not accept DMs", async () => {
    const player = fake.createUser();
    const { id: userId } = await linkUser(bot.db.prisma, player.id);
    fake.setDmsOpen(player.id, false);
    await bot.notifier.notify({ userId, event: offline, dedupeKey: "closed:status" });
    await bot.notifier.idle();

    expect(fake.dmMessages(player.id)).toEqual([]);
    const row = await bot.db.prisma.notificationOutbox.findUniqueOrThrow({ where: { dedupeKey: "closed:status" } });
    expect(row).toMatchObject({ status: "FAILED", attempts: 0, lastError: expect.stringContaining("cannot DM this user (50007)") });
    const posts = fake.calls.filter((c) => c.method === "POST" && c.route === "/channels/:id/messages" && c.status === 403);
    expect(posts).toHaveLength(1);
  });

  it("queues nothing for a user with no Discord account to DM", async () => {
    const user = await bot.db.prisma.user.create({ data: { steamId: steamId(), displayName: "Steam only" } });
    expect(await bot.notifier.notify({ userId: user.id, event: offline, dedupeKey: "nodiscord:status" })).toBe("no-setup");
  });

  it("sends status rows queued before /setup was removed by DM, and holds the alarm for /setup", async () => {
    // Queued while /setup existed, delivered after it was removed: the status row follows the user to DMs.
    const player = fake.createUser();
    const { id: userId } = await linkUser(bot.db.prisma, player.id);
    const integration = await routeTo(bot.db.prisma, userId, { guildId: "1", guildName: "Gone" });
    await bot.db.prisma.$transaction(async (tx) => {
      await bot.notifier.notify({ userId, event: offline, dedupeKey: "removed:status" }, tx);
      await bot.notifier.notify({ userId, event: alarm, dedupeKey: "removed:alarm" }, tx);
      await tx.discordIntegration.delete({ where: { id: integration.id } });
    });
    await bot.notifier.idle();
    expect(fake.dmMessages(player.id).map((m) => m.embeds[0]?.description)).toEqual(["Rustoria EU went offline"]);
    const rows = await bot.db.prisma.notificationOutbox.findMany({ where: { userId }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["SENT", "BLOCKED"]);
  });
});
