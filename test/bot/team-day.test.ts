// A team's day through the real clients and the fakes: an admin who never linked Steam sets the guild up,
// players link and pair, and every member's notifications land in the guild's channels; a player in two
// set-up guilds chooses with a button and moves with /setup use-here; alarms never reach a guild their
// member did not choose; a member with no set-up guild is told once, and what waited is posted after /setup.
import { PermissionFlagsBits, type APIMessage, type APIUser } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Drawn } from "../../src/devices/draw-device.ts";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import type { AppBroadcast } from "../../src/rustplus/connection.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { EntityType, FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

const SWITCH = 3001;
const ALARM = 3002;
const TOKEN = 515_151;

let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let team: ReturnType<FakeDiscord["createGuild"]>;
let other: ReturnType<FakeDiscord["createGuild"]>;
let late: ReturnType<FakeDiscord["createGuild"]>;
let admin: APIUser;
let otherAdmin: APIUser;
let raiders: string;
let pushes = 0;
const states = new Log<{ serverId: string; state: ConnectionState }>();
const heard = new Log<{ serverId: string; text: string }>();
const drawn = new Log<Drawn>();

interface Player {
  discord: APIUser;
  steamId: string;
  androidId: string;
}

const body = (player: Player, extra: Record<string, string> = {}) =>
  JSON.stringify({ img: "", port: String(rust.port), ip: "127.0.0.1", name: "Rustopia", id: "4d0b6f0e", url: "", desc: "", playerId: player.steamId, playerToken: String(TOKEN), ...extra });
const push = (player: Player, channelId: string, title: string, message: string, extra: Record<string, string> = {}) => ({
  persistentId: `0:${++pushes}%team`,
  appData: [{ key: "channelId", value: channelId }, { key: "title", value: title }, { key: "message", value: message }, { key: "body", value: body(player, extra) }],
});
const channelOf = (guildId: string, name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
const posts = (guildId: string, name: string): APIMessage[] => fake.messages(channelOf(guildId, name));
const alarmTitles = (guildId: string) => posts(guildId, "alarms-and-raids").flatMap((m) => m.embeds.map((e) => e.title));

async function settle() {
  await bot.pushes.drained();
  await bot.devices.idle();
  await bot.alarms.idle();
  await bot.notifier.idle();
}

async function setupRun(guildId: string, user: APIUser) {
  return fake.sendCommand({ guildId, name: "setup", subcommand: "run", user, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
}

/** A player who linked Steam and gave their FCM credentials (in `guildId`, which makes them a member there). */
async function player(guildId: string, androidId: string): Promise<Player> {
  const discord = fake.createUser();
  const { steamId } = await linkUser(bot.db.prisma, discord.id);
  await fake
    .submitModal({ guildId, customId: "credentials", user: discord, fields: { paste: "", androidId, securityToken: "5555555555", steamId, expiresAt: "2099-01-01" } })
    .then((h) => h.reply());
  await bot.pushFeed.started(androidId);
  return { discord, steamId, androidId };
}

async function pairServer(p: Player): Promise<string> {
  bot.pushFeed.deliver(p.androidId, push(p, "pairing", "Rustopia", "Tap to pair", { type: "server" }));
  await settle();
  const user = await bot.db.prisma.user.findFirstOrThrow({ where: { steamId: p.steamId } });
  return (await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { userId: user.id } })).id;
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  team = fake.createGuild({ name: "Team" });
  other = fake.createGuild({ name: "Other" });
  late = fake.createGuild({ name: "Late" });
  raiders = team.createRole("Raid defence", 0n, { mentionable: true }).id;
  bot = await startTestBot(fake, { rust: { backoff: { baseMs: 20, maxMs: 200 }, infoEveryMs: 60_000 } });
  bot.ctx.rust.on("state", (id, state) => states.push({ serverId: id, state }));
  bot.devices.onDrawn((d) => drawn.push(d));
  // The fake game echoes what the bot says in team chat back as a teamMessage broadcast.
  bot.ctx.rust.on("broadcast", (id, b: AppBroadcast) => {
    const text = b.teamMessage?.message?.message;
    if (text) heard.push({ serverId: id, text });
  });
  admin = fake.createUser({ username: "admin" });
  otherAdmin = fake.createUser({ username: "other-admin" });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
});

describe("a team's day", () => {
  let p1: Player;
  let p2: Player;

  it("an admin who never linked Steam sets the guild up", async () => {
    const reply = await setupRun(team.id, admin);
    expect(JSON.stringify(reply.embeds)).toContain("Notification channels ready");
    expect(JSON.stringify(reply.embeds)).toContain("/setup use-here");
    expect(await bot.db.prisma.discordIntegration.findUniqueOrThrow({ where: { guildId: team.id } })).toMatchObject({ guildName: "Team", setupByDiscordId: admin.id });
    // A member without Manage Server cannot reconfigure it.
    const refused = await fake.sendCommand({ guildId: team.id, name: "setup", subcommand: "run", user: fake.createUser(), memberPermissions: PermissionFlagsBits.SendMessages }).then((h) => h.reply());
    expect(refused).toMatchObject({ ephemeral: true, content: expect.stringContaining("needs **Manage Server**") });
  });

  it("a player pairs a server, a switch and an alarm; the alarm posts once in the guild's channel with the chosen role", async () => {
    p1 = await player(team.id, "5550000000000000101");
    rust = await FakeRustServer.start({
      players: [{ steamId: p1.steamId, playerToken: TOKEN }],
      world: {
        entities: { [SWITCH]: { type: EntityType.Switch, value: false }, [ALARM]: { type: EntityType.Alarm, value: false } },
        // In a team, so team chat can be sent there.
        team: { leaderSteamId: p1.steamId, members: [{ steamId: p1.steamId, name: "P1", x: 100, y: 100, isOnline: true, spawnTime: 1, isAlive: true, deathTime: 0 }] },
      },
    });
    const serverId = await pairServer(p1);
    // The pairing message is in the guild's #server-status, and says where notifications go and how to change it.
    const pairingPost = posts(team.id, "server-status").at(-1)?.embeds[0]?.description;
    expect(pairingPost).toContain("go to **Team**, the one Discord server you share with the bot");
    expect(pairingPost).toContain("`/setup use-here`");
    expect(fake.dmMessages(p1.discord.id).map((m) => m.content)).toEqual([expect.stringContaining("go to **Team**")]);

    const from = states.items.length;
    await fake.sendCommand({ guildId: team.id, name: "server", subcommand: "connect", options: { server: serverId }, user: p1.discord }).then((h) => h.reply());
    await states.waitFor((e) => e.serverId === serverId && e.state.kind === "connected", from);
    for (const [id, type, name] of [[SWITCH, "1", "Lights"], [ALARM, "2", "Front door"]] as const) {
      const seen = drawn.items.length;
      bot.pushFeed.deliver(p1.androidId, push(p1, "pairing", name, "Tap to pair", { type: "entity", entityId: String(id), entityType: type, entityName: name }));
      await drawn.waitFor((d) => d.device.entityId === BigInt(id) && d.result.outcome !== "no-channel", seen);
    }
    await settle();
    expect(posts(team.id, "smart-devices").flatMap((m) => m.embeds.map((e) => e.title)).join(" ")).toContain("Lights");

    const notify = await fake.sendCommand({ guildId: team.id, name: "alarm", subcommand: "notify", options: { server: serverId, role: raiders }, user: p1.discord }).then((h) => h.reply());
    expect(notify.content).toContain(`<@&${raiders}>`);

    const seen = drawn.items.length;
    rust.triggerAlarm(ALARM);
    await drawn.waitFor((d) => d.device.entityId === BigInt(ALARM), seen);
    bot.pushFeed.deliver(p1.androidId, push(p1, "alarm", "Front door", "Your base is under attack!"));
    await settle();
    const alarms = posts(team.id, "alarms-and-raids");
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ content: `<@&${raiders}>`, embeds: [{ title: "🚨 Front door" }] });
  });

  it("a second player's pairing in the same guild lands there too", async () => {
    p2 = await player(team.id, "5550000000000000102");
    const before = posts(team.id, "server-status").length;
    await pairServer(p2);
    const fresh = posts(team.id, "server-status").slice(before);
    expect(fresh.map((m) => m.embeds[0]?.description)).toEqual([expect.stringContaining("Paired with Rustopia")]);
    expect(fresh[0]?.embeds[0]?.description).toContain("go to **Team**");
    bot.pushFeed.deliver(p2.androidId, push(p2, "alarm", "Garage", "Garage alarm"));
    await settle();
    expect(alarmTitles(team.id)).toEqual(["🚨 Front door", "🚨 Garage"]);
  });

  it("the guild's #team-chat reaches the game servers of the members routed there", async () => {
    fake.postUserMessage({ channelId: channelOf(team.id, "team-chat"), user: p2.discord, content: "on my way" });
    await heard.next((m) => m.text.endsWith(": on my way"));
    expect(rust.world.chat.map((m) => m.message)).toContainEqual(expect.stringMatching(/: on my way$/));
  });

  it("a player in two set-up guilds chooses with a button, moves with /setup use-here, and alarms never reach the other guild", async () => {
    await setupRun(other.id, otherAdmin);
    const p3 = await player(team.id, "5550000000000000103");
    fake.addMember(other.id, p3.discord);
    await pairServer(p3);
    bot.pushFeed.deliver(p3.androidId, push(p3, "alarm", "Vault", "Vault alarm"));
    await settle();

    // Nothing guessed: the pairing message comes by DM with a button per guild, and the alarm waits.
    const dms = fake.dmMessages(p3.discord.id);
    const pairingDm = dms.find((m) => m.embeds[0]?.description?.includes("Paired with Rustopia"));
    expect(pairingDm?.embeds[0]?.description).toContain("You share several set-up servers with the bot (**Team**, **Other**)");
    expect(JSON.stringify(pairingDm?.components)).toContain(`"custom_id":"route:${other.id}"`);
    expect(alarmTitles(team.id)).not.toContain("🚨 Vault");
    expect(alarmTitles(other.id)).toEqual([]);

    const chosen = await fake.clickButton({ guildId: team.id, customId: `route:${other.id}`, user: p3.discord }).then((h) => h.reply());
    expect(chosen.content).toContain("now go to **Other**");
    await settle();
    expect(alarmTitles(other.id)).toEqual(["🚨 Vault"]);

    const moved = await fake.sendCommand({ guildId: team.id, name: "setup", subcommand: "use-here", user: p3.discord, memberPermissions: PermissionFlagsBits.SendMessages }).then((h) => h.reply());
    expect(moved).toMatchObject({ ephemeral: true, content: expect.stringContaining("now go to **Team** instead of **Other**") });
    bot.pushFeed.deliver(p3.androidId, push(p3, "alarm", "Vault", "Vault again"));
    await settle();
    expect(alarmTitles(team.id)).toEqual(["🚨 Front door", "🚨 Garage", "🚨 Vault"]);
    // The other guild saw only what p3 chose to send there; never the team's other alarms.
    expect(alarmTitles(other.id)).toEqual(["🚨 Vault"]);
  });

  it("a member with no set-up guild is told once, and what waited is posted once their guild is set up", async () => {
    const p4 = await player(late.id, "5550000000000000104");
    // One after the other: pushes handled at once may commit in either order on PostgreSQL.
    bot.pushFeed.deliver(p4.androidId, push(p4, "alarm", "Hut", "First"));
    await settle();
    bot.pushFeed.deliver(p4.androidId, push(p4, "alarm", "Hut", "Second"));
    await settle();
    const notes = fake.dmMessages(p4.discord.id).filter((m) => !m.embeds.length);
    expect(notes.map((m) => m.content)).toEqual([expect.stringContaining("wait until an admin runs `/setup run` in your team's server")]);

    await setupRun(late.id, fake.createUser({ username: "late-admin" }));
    await settle();
    expect(posts(late.id, "alarms-and-raids").flatMap((m) => m.embeds.map((e) => e.description))).toEqual(["First", "Second"]);
    expect(alarmTitles(team.id)).not.toContain("🚨 Hut");
    expect(alarmTitles(other.id)).not.toContain("🚨 Hut");
  });
});
