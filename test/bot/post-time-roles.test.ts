// Stored roles checked again as notifications are posted (src/notify/guild-roles.ts), through the real notifier
// and REST client against the fake Discord: a deleted role, a role of another guild, an unmentionable role and
// @everyone are not mentioned (neither in allowed_mentions nor as `<@&id>` text) while the post still goes out
// exactly once; a valid role still pings; a burst reads the guild's roles once; a failed read of the roles never
// holds the post up; a role left in the old guild after /setup use-here is not mentioned in the new one. The
// notifier runs on a virtual clock so the 60 s cache of roles expires when a test says so.
import { PermissionFlagsBits, type APIMessage } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationEvent } from "../../src/notify/events.ts";
import { ROLES_TTL_MS } from "../../src/notify/guild-roles.ts";
import { FakeDiscord, type FakeGuild, type RestCall } from "../fakes/discord/index.ts";

import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guild: FakeGuild;
let userId: string;
let discordUser: ReturnType<FakeDiscord["createUser"]>;
let now = Date.UTC(2026, 0, 1);
let n = 0;

const alarm = (mentionRoleId?: string): NotificationEvent => ({ kind: "alarm", serverName: "Rustoria EU", alarmName: `Alarm ${++n}`, at: new Date().toISOString(), ...(mentionRoleId && { mentionRoleId }) });
const intel = (mentionRoleIds: string[]): NotificationEvent => ({ kind: "intel-alert", serverName: "Rustoria EU", title: `Watched ${++n}`, lines: ["Bob is online"], at: new Date().toISOString(), mentionRoleIds });
const channel = (name: string) => fake.channels(guild.id).find((c) => c.name === name)!.id;
const rolesReads = () => fake.calls.filter((c) => c.method === "GET" && c.route === "/guilds/:id/roles").length;
const messagePosts = (channelId: string): RestCall[] => fake.calls.filter((c) => c.method === "POST" && c.path === `/channels/${channelId}/messages` && c.status === 200);
const allowedRoles = (call: RestCall | undefined) => (call?.body as { allowed_mentions?: { roles?: string[] } } | undefined)?.allowed_mentions?.roles;
const dropLogs = (roleId: string) => bot.logs.filter((l) => l.roleId === roleId && l.msg === "a stored role is not mentioned in this guild's notifications");

/** Posts one event and returns the messages it added to `channelName`. */
async function post(event: NotificationEvent, channelName: string): Promise<APIMessage[]> {
  const before = fake.messages(channel(channelName)).length;
  expect(await bot.notifier.notify({ userId, event, dedupeKey: `roles:${++n}` })).toBe("queued");
  await bot.notifier.idle();
  return fake.messages(channel(channelName)).slice(before);
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guild = fake.createGuild({ name: "Base" });
  bot = await startTestBot(fake, { notifier: { now: () => now } });
  discordUser = fake.createUser();
  userId = (await linkUser(bot.db.prisma, discordUser.id)).id;
  await fake.sendCommand({ guildId: guild.id, name: "setup", subcommand: "run", user: discordUser, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("roles at post time", () => {
  it("posts without the mention, once, when the guild's roles cannot be read and none were read before", async () => {
    const raiders = guild.createRole("Raiders", 0n, { mentionable: true }).id;
    const reads = rolesReads();
    // Four 500s: the REST client's first try and its three retries of a 5xx.
    fake.failNext({ method: "GET", route: "/guilds/:id/roles", status: 500, times: 4 });
    const [message, ...more] = await post(alarm(raiders), "alarms-and-raids");
    expect(more).toEqual([]);
    expect(message?.content).toBe("");
    expect(message?.embeds).toHaveLength(1);
    expect(allowedRoles(messagePosts(channel("alarms-and-raids")).at(-1))).toEqual([]);
    expect(rolesReads() - reads).toBe(4);
    now += ROLES_TTL_MS;
  });

  it("pings a valid role, and a burst of alarms reads the guild's roles once", async () => {
    const raiders = guild.createRole("Raid defence", 0n, { mentionable: true }).id;
    const reads = rolesReads();
    for (let i = 0; i < 3; i++) {
      const [message, ...more] = await post(alarm(raiders), "alarms-and-raids");
      expect(more).toEqual([]);
      expect(message?.content).toBe(`<@&${raiders}>`);
      expect(allowedRoles(messagePosts(channel("alarms-and-raids")).at(-1))).toEqual([raiders]);
    }
    expect(rolesReads() - reads).toBe(1);
  });

  it("pings a role created and saved after the guild's roles were last read (no waiting out the cache)", async () => {
    const fresh = guild.createRole("Fresh", 0n, { mentionable: true }).id;
    const reads = rolesReads();
    expect((await post(alarm(fresh), "alarms-and-raids"))[0]?.content).toBe(`<@&${fresh}>`);
    expect(rolesReads() - reads).toBe(1);
  });

  it("does not mention a role deleted since it was saved, and logs it once", async () => {
    const gone = guild.createRole("Gone", 0n, { mentionable: true }).id;
    now += ROLES_TTL_MS;
    expect((await post(alarm(gone), "alarms-and-raids"))[0]?.content).toBe(`<@&${gone}>`);
    guild.deleteRole(gone);
    now += ROLES_TTL_MS;
    const reads = rolesReads();
    for (let i = 0; i < 3; i++) {
      const [message, ...more] = await post(alarm(gone), "alarms-and-raids");
      expect(more).toEqual([]);
      expect(message?.content).toBe("");
      expect(allowedRoles(messagePosts(channel("alarms-and-raids")).at(-1))).toEqual([]);
    }
    // One read after the cache expired; a role id found gone is never read for again.
    expect(rolesReads() - reads).toBe(1);
    expect(dropLogs(gone)).toHaveLength(1);
  });

  it("does not mention a role made unmentionable since, @everyone, or a role of another guild; keeps the valid one", async () => {
    const watchers = guild.createRole("Watchers", 0n, { mentionable: true }).id;
    const hushed = guild.createRole("Hushed", 0n, { mentionable: true }).id;
    const elsewhere = fake.createGuild({ name: "Old base" }).createRole("Old watchers", 0n, { mentionable: true }).id;
    guild.setRoleMentionable(hushed, false);
    now += ROLES_TTL_MS;
    const [message, ...more] = await post(intel([elsewhere, hushed, guild.id, watchers]), "player-intel");
    expect(more).toEqual([]);
    expect(message?.content).toBe(`<@&${watchers}>`);
    expect(message?.embeds[0]?.title).toContain("Watched");
    expect(allowedRoles(messagePosts(channel("player-intel")).at(-1))).toEqual([watchers]);
    for (const dropped of [elsewhere, hushed, guild.id]) expect(dropLogs(dropped)).toHaveLength(1);
  });

  it("uses the last read of the roles when a later read fails: the valid role still pings, once", async () => {
    const raiders = guild.createRole("Night shift", 0n, { mentionable: true }).id;
    now += ROLES_TTL_MS;
    expect((await post(alarm(raiders), "alarms-and-raids"))[0]?.content).toBe(`<@&${raiders}>`);
    now += ROLES_TTL_MS;
    fake.failNext({ method: "GET", route: "/guilds/:id/roles", status: 500, times: 4 });
    const [message, ...more] = await post(alarm(raiders), "alarms-and-raids");
    expect(more).toEqual([]);
    expect(message?.content).toBe(`<@&${raiders}>`);
  });

  it("does not mention a role left behind in the old guild after /setup use-here moved the notifications", async () => {
    const raiders = guild.createRole("Left behind", 0n, { mentionable: true }).id;
    const moved = fake.createGuild({ name: "New base" });
    const member = { user: discordUser, memberPermissions: PermissionFlagsBits.ManageGuild };
    await fake.sendCommand({ guildId: moved.id, name: "setup", subcommand: "run", ...member }).then((h) => h.reply());
    expect((await fake.sendCommand({ guildId: moved.id, name: "setup", subcommand: "use-here", ...member }).then((h) => h.reply())).content).toContain("now go to **New base**");
    const movedAlarms = fake.channels(moved.id).find((c) => c.name === "alarms-and-raids")!.id;
    const oldBefore = fake.messages(channel("alarms-and-raids")).length;
    expect(await bot.notifier.notify({ userId, event: alarm(raiders), dedupeKey: `roles:${++n}` })).toBe("queued");
    await bot.notifier.idle();
    expect(fake.messages(channel("alarms-and-raids"))).toHaveLength(oldBefore);
    const [message, ...more] = fake.messages(movedAlarms);
    expect(more).toEqual([]);
    expect(message?.content).toBe("");
    expect(allowedRoles(messagePosts(movedAlarms).at(-1))).toEqual([]);
    expect(dropLogs(raiders)).toHaveLength(1);
  });
});
