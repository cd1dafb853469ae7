// The role options that make the bot mention a role on every alert (/watchlist create role:, /alarm notify
// role:), through the real discord.js client against the fake Discord: accepted only in a guild, the guild the
// user's notifications go to, not @everyone, and mentionable unless the member may mention every role
// (MENTION_EVERYONE). Each refusal is ephemeral, says why, and saves nothing.
import { PermissionFlagsBits as P, type APIRole, type APIUser } from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeDiscord, type FakeGuild } from "../fakes/discord/index.ts";
import { linkUser, routeTo, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer } from "../helpers/fixtures.ts";

let fake: FakeDiscord;
let bot: TestBot;
let base: FakeGuild;
let other: FakeGuild;
let defence: APIRole;
let admins: APIRole;
let otherRole: APIRole;
let alice: APIUser;
let aliceServer: string;

const prisma = () => bot.db.prisma;
type Send = { guild?: FakeGuild; user?: APIUser; memberPermissions?: bigint };
const watch = (role: string, { guild = base, user = alice, memberPermissions }: Send = {}) =>
  fake.sendCommand({ guildId: guild.id, name: "watchlist", subcommand: "create", user, options: { name: "raiders", tags: "raider", role }, ...(memberPermissions === undefined ? {} : { memberPermissions }) }).then((h) => h.reply());
const notify = (role: string, { guild = base, user = alice, memberPermissions }: Send = {}) =>
  fake.sendCommand({ guildId: guild.id, name: "alarm", subcommand: "notify", user, options: { server: aliceServer, role }, ...(memberPermissions === undefined ? {} : { memberPermissions }) }).then((h) => h.reply());
const alarmRole = async () => (await prisma().pairedServer.findUniqueOrThrow({ where: { id: aliceServer } })).alarmRoleId;
const savedRoles = async () => (await prisma().watchlist.findMany()).map((w) => (w.filter as { mentionRoleId?: string }).mentionRoleId);

beforeAll(async () => {
  fake = await FakeDiscord.start();
  base = fake.createGuild({ name: "Base" });
  other = fake.createGuild({ name: "Other" });
  defence = base.createRole("Raid defence", 0n, { mentionable: true });
  admins = base.createRole("Admins", 0n);
  otherRole = other.createRole("Other's raiders", 0n, { mentionable: true });
  bot = await startTestBot(fake);
  alice = fake.createUser({ username: "alice" });
  const aliceId = (await linkUser(prisma(), alice.id)).id;
  await routeTo(prisma(), aliceId, { guildId: base.id, guildName: "Base" });
  aliceServer = (await createServer(prisma(), aliceId)).id;
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});
beforeEach(async () => {
  await prisma().watchlist.deleteMany();
  await prisma().pairedServer.update({ where: { id: aliceServer }, data: { alarmRoleId: null } });
});

describe("a role option", () => {
  it("accepts a mentionable role of the guild the user's notifications go to", async () => {
    expect((await watch(defence.id)).content).toContain(`mentions <@&${defence.id}>`);
    expect((await notify(defence.id)).content).toContain(`now mention <@&${defence.id}>`);
    expect(await savedRoles()).toEqual([defence.id]);
    expect(await alarmRole()).toBe(defence.id);
  });

  it("refuses a role its members cannot be pinged by unless the member may mention every role", async () => {
    const refusal = "**@Admins** is not mentionable and you may not mention it yourself (**Mention @everyone, @here and All Roles**), so the bot will not mention it for you. Pick a role anyone may mention, or ask an admin to allow mentioning it (Server Settings → Roles).";
    expect(await watch(admins.id)).toMatchObject({ ephemeral: true, content: refusal });
    expect(await notify(admins.id)).toMatchObject({ ephemeral: true, content: refusal });
    expect(await savedRoles()).toEqual([]);
    expect(await alarmRole()).toBeNull();

    expect((await notify(admins.id, { memberPermissions: P.ViewChannel | P.MentionEveryone })).content).toContain(`now mention <@&${admins.id}>`);
    expect((await watch(admins.id, { memberPermissions: P.Administrator })).content).toContain(`mentions <@&${admins.id}>`);
    expect(await savedRoles()).toEqual([admins.id]);
  });

  it("refuses @everyone, a DM, and a role of a guild the user's notifications do not go to", async () => {
    const cases: [Promise<{ ephemeral: boolean; content: string }>, string | RegExp][] = [
      [watch(base.id), "Pick a role other than @everyone."],
      [notify(base.id, { memberPermissions: P.MentionEveryone }), "Pick a role other than @everyone."],
      [notify(otherRole.id, { guild: other }), "Your notifications go to **Base**, where a role of this server cannot be mentioned. Run this command there with one of its roles, or run `/setup use-here` here to bring your notifications to this server."],
      [watch(otherRole.id, { guild: other }), /^Your notifications go to \*\*Base\*\*/],
      [
        fake.sendDmCommand({ user: alice, name: "alarm", subcommand: "notify", options: { server: aliceServer, role: defence.id } }).then((h) => h.reply()),
        "Pick the role in the Discord server your notifications go to: run this command there, not in a DM.",
      ],
    ];
    for (const [reply, answer] of cases) {
      const { ephemeral, content } = await reply;
      expect(ephemeral).toBe(true);
      if (typeof answer === "string") expect(content).toBe(answer);
      else expect(content).toMatch(answer);
    }
    expect(await savedRoles()).toEqual([]);
    expect(await alarmRole()).toBeNull();
  });

  it("tells a user whose notifications go nowhere yet to run /setup use-here; one sharing a single set-up guild gets it", async () => {
    const carol = fake.createUser({ username: "carol" });
    const carolId = (await linkUser(prisma(), carol.id)).id;
    await createServer(prisma(), carolId);
    expect(await watch(otherRole.id, { guild: other, user: carol })).toMatchObject({
      ephemeral: true,
      content: "Your notifications go to no Discord server yet, so there is nowhere to mention a role. Run `/setup use-here` in this server first, then pick the role again.",
    });
    expect(await prisma().watchlist.count()).toBe(0);
    expect((await prisma().user.findUniqueOrThrow({ where: { id: carolId } })).notificationGuildId).toBeNull();

    // Base is set up and carol becomes a member: it is where her notifications go (as the dispatcher decides).
    expect((await watch(defence.id, { user: carol })).content).toContain(`mentions <@&${defence.id}>`);
    expect((await prisma().user.findUniqueOrThrow({ where: { id: carolId } })).notificationGuildId).toBe(base.id);
  });
});
