// Refusals that say what is true where they are reached, and the next step: a server or device the user cannot
// see (none paired yet, or someone else's), one only shared with them, a button whose device or server is gone;
// and the fake Discord withholding a command from a member without its default_member_permissions.
import { PermissionFlagsBits as P } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord, NotInvokable } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer } from "../helpers/fixtures.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Answers" }).id;
  bot = await startTestBot(fake);
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

type User = ReturnType<FakeDiscord["createUser"]>;
const run = (user: User, name: string, subcommand: string, options: Record<string, string> = {}) =>
  fake.sendCommand({ guildId, name, subcommand, options, user }).then((h) => h.reply());
const press = (user: User, customId: string) => fake.clickButton({ guildId, customId, user }).then((h) => h.reply());

/** A linked player on Discord, with `servers` paired servers of their own. */
async function player(servers = 0) {
  const discord = fake.createUser();
  const user = await linkUser(bot.db.prisma, discord.id);
  const owned = [];
  for (let i = 0; i < servers; i++) owned.push(await createServer(bot.db.prisma, user.id));
  return { discord, user, servers: owned };
}
const switchOn = (serverId: string) => bot.db.prisma.smartDevice.create({ data: { pairedServerId: serverId, kind: "SWITCH", entityId: 1n, name: "Front door", isOn: false } });
const share = (serverId: string, owner: { id: string }, guest: { id: string; steamId: string }) =>
  bot.db.prisma.dashboardGuestAccess.create({ data: { ownerUserId: owner.id, pairedServerId: serverId, guestSteamId: guest.steamId, guestUserId: guest.id } });

describe("a server the user cannot see", () => {
  it("/share add and /alarm list with no server of one's own say to pair one first, not to share it", async () => {
    const teammate = await player(1);
    const newcomer = await player();
    for (const reply of [
      await run(newcomer.discord, "share", "add", { server: teammate.servers[0]!.id, steam_id: "76561198000000001" }),
      await run(newcomer.discord, "alarm", "list", { server: teammate.servers[0]!.id }),
    ]) {
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toContain("You have no paired server yet. Pair one first: add your push credentials with `/credentials add`, then in game: menu → Rust+ → Pair with server.");
      expect(reply.content).not.toContain("Its owner can share it");
    }
    expect(await bot.db.prisma.dashboardGuestAccess.count({ where: { pairedServerId: teammate.servers[0]!.id } })).toBe(0);
  });

  it("with servers of one's own, says it is not one of them and to pick from the suggestions", async () => {
    const teammate = await player(1);
    const owner = await player(1);
    const reply = await run(owner.discord, "share", "add", { server: teammate.servers[0]!.id, steam_id: "76561198000000002" });
    expect(reply.content).toBe("That is not a server you paired (or it was removed). Pick one of yours from the suggestions as you type in `server:`.");
    const list = await run(owner.discord, "alarm", "list", { server: "gone0000" });
    expect(list.content).toBe(reply.content);
  });

  it("a guest is told the server was shared with them and who can share it or change its alarms", async () => {
    const owner = await player(1);
    const guest = await player();
    const server = owner.servers[0]!;
    await share(server.id, owner.user, guest.user);
    const byGuest = await run(guest.discord, "share", "add", { server: server.id, steam_id: "76561198000000003" });
    expect(byGuest.content).toBe(
      `**${server.serverName}** was shared with you, so only the player who paired it can share it. Ask them to, or pair the server yourself in game (menu → Rust+ → Pair with server) to have your own.`,
    );
    expect((await run(guest.discord, "alarm", "list", { server: server.id })).content).toContain("only the player who paired it can choose who its alarms mention");
    // Only guests on others' servers: pairing their own is the way to manage one.
    expect((await run(guest.discord, "share", "add", { server: "gone0000", steam_id: "76561198000000003" })).content).toBe(
      "You have not paired a server of your own: the servers shared with you are managed by the players who paired them. To pair one yourself: add your push credentials with `/credentials add`, then in game: menu → Rust+ → Pair with server.",
    );
  });
});

describe("/device list", () => {
  it("with no server paired says devices pair through a server, and how to pair it first", async () => {
    const newcomer = await player();
    const reply = await run(newcomer.discord, "device", "list");
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain("No smart devices yet, and none can be paired before their server is");
    expect(reply.content).toContain("First add your push credentials with `/credentials add`, then in game: menu → Rust+ → Pair with server; then pair devices in game.");
  });

  it("with a server but no devices says how to pair a device; on one server, names it", async () => {
    const owner = await player(1);
    expect((await run(owner.discord, "device", "list")).content).toBe(
      "No smart devices yet. In game, look at a smart switch, alarm or storage monitor, hold E and choose Pair; it then shows up here.",
    );
    expect((await run(owner.discord, "device", "list", { server: owner.servers[0]!.id })).content).toContain(`No smart devices on **${owner.servers[0]!.serverName}** yet.`);
  });
});

describe("buttons on cards", () => {
  it("a switch's button pressed by someone it is not shared with says so and who can share it; no list to pick from", async () => {
    const owner = await player(1);
    const device = await switchOn(owner.servers[0]!.id);
    const stranger = await player();
    const reply = await press(stranger.discord, `device:on:${device.id}`);
    expect(reply).toMatchObject({ ephemeral: true });
    expect(reply.content).toBe(
      `**Front door** is on **${owner.servers[0]!.serverName}**, which is not shared with you, so you cannot switch it. Ask the player who paired that server to share it with you: \`/share add\`.`,
    );
    expect(reply.content).not.toMatch(/list/i);
  });

  it("a button whose device or server was removed says it does nothing now and how to get it back", async () => {
    const owner = await player(1);
    const device = await switchOn(owner.servers[0]!.id);
    await bot.db.prisma.pairedServer.delete({ where: { id: owner.servers[0]!.id } });
    expect((await press(owner.discord, `device:on:${device.id}`)).content).toBe(
      "This device is not paired any more (it or its server was removed), so this button does nothing now. Pair the device again in game to get a new card.",
    );
    expect((await press(owner.discord, `server:connect:${owner.servers[0]!.id}`)).content).toContain("This server is not paired any more (it was removed), so this button does nothing now.");
  });

  it("a server's buttons pressed by a guest name who may use them", async () => {
    const owner = await player(1);
    const guest = await player();
    await share(owner.servers[0]!.id, owner.user, guest.user);
    expect((await press(guest.discord, `server:disconnect:${owner.servers[0]!.id}`)).content).toBe(
      `Only the player who paired **${owner.servers[0]!.serverName}** can connect, disconnect or remove it. Ask them to.`,
    );
  });
});

describe("default_member_permissions in the fake Discord", () => {
  it("does not deliver /admin to a member without Administrator; delivers it to an administrator and to the owner", async () => {
    // /setup has no command-wide permission (use-here is every member's), so /admin is the example here.
    const member = fake.createUser();
    fake.addMember(guildId, member, P.SendMessages | P.ViewChannel | P.ManageGuild);
    const before = fake.calls.length;
    await expect(fake.sendCommand({ guildId, name: "admin", subcommand: "beta list", user: member })).rejects.toThrow(NotInvokable);
    expect(fake.calls.slice(before).filter((c) => c.path.includes("/interactions/"))).toEqual([]); // the bot never heard of it

    const allowed = fake.createUser();
    fake.addMember(guildId, allowed, P.Administrator);
    const owner = { id: fake.guild(guildId).ownerId, username: "owner", discriminator: "0", global_name: null, avatar: null };
    for (const user of [allowed, owner]) {
      const handle = await fake.sendCommand({ guildId, name: "admin", subcommand: "beta list", user });
      const reply = await handle.reply(); // delivered, and answered by the bot
      expect(reply.content.length + reply.embeds.length).toBeGreaterThan(0);
    }
  });

  it("delivers /setup to every member: use-here is theirs, run needs Manage Server and says so", async () => {
    const member = fake.createUser();
    fake.addMember(guildId, member, P.SendMessages | P.ViewChannel);
    const refused = await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: member }).then((h) => h.reply());
    expect(refused).toMatchObject({ ephemeral: true, content: expect.stringContaining("needs **Manage Server**") });
    expect(refused.content).toContain("/setup use-here");
    const admin = fake.createUser();
    fake.addMember(guildId, admin, P.ManageGuild);
    const done = await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: admin }).then((h) => h.reply());
    expect(JSON.stringify(done.embeds)).toContain("Notification channels");
    // Commands without default_member_permissions stay open to everyone.
    expect((await run(member, "device", "list")).ephemeral).toBe(true);
  });

  it("in the bot's DM, does not deliver /setup (its contexts are guilds only) and /help does not list it there", async () => {
    const user = fake.createUser();
    await expect(fake.sendDmCommand({ user, name: "setup", subcommand: "run" })).rejects.toThrow(NotInvokable);
    const help = await fake.sendDmCommand({ user, name: "help" }).then((h) => h.reply());
    const listed = help.embeds[0]?.description ?? "";
    expect(listed).toContain("**/device list**");
    expect(listed).not.toContain("/setup");
  });
});
