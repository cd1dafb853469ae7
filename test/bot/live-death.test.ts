// A death of the credentials' owner on a server the bot follows live reaches it twice: the team state goes alive →
// dead (teamChanged, with where) and the game sends a `player`/`death` push (the title's words and the killer's
// Steam id; rustplusplus src/util/FcmListener.js playerDeath). Whichever comes first is posted, the other adds
// its details to that one post: one post per death, with the place, the words and the killer, in either order.
// Real clients throughout: discord.js against the fake Discord, rustplus.js against the fake Rust+ server, pushes
// through the push feed; one virtual clock, so "a minute later" needs no waiting.
import type { APIEmbed } from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppBroadcast } from "../../src/rustplus/connection.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { FakeRustServer, type TeamMember } from "../fakes/rustplus/index.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";
import { steamId as newSteamId } from "../helpers/fixtures.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

const TOKEN = -51_515_151;
const ANDROID_ID = "4444444444444444488";
const BOB = newSteamId();
const KILLER = "76561198012345678";
const KILLER_LINE = `Killer: [${KILLER}](https://steamcommunity.com/profiles/${KILLER})`;

let timers: ManualTimers;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
let steamId: string;
let broadcasts: Log<AppBroadcast>;
let pushes = 0;

const member = (id: string, name: string, x: number, y: number): TeamMember => ({ steamId: id, name, x, y, isOnline: true, spawnTime: 0, isAlive: true, deathTime: 0 });
const channel = () => fake.channels(guildId).find((c) => c.name === "deaths-and-logins")!.id;
const messages = () => fake.messages(channel());
const embeds = () => messages().flatMap((m) => m.embeds);

/** A `player` death push for the live server, as FCM delivers it: body.name is the server's name. */
const deathPush = (title: string, targetId: string) => ({
  persistentId: `0:${++pushes}%live-death`,
  appData: [
    { key: "channelId", value: "player" },
    { key: "title", value: title },
    { key: "message", value: "" },
    { key: "body", value: JSON.stringify({ img: "", port: String(rust.port), ip: "127.0.0.1", name: "Rustopia EU", id: "9f1c2d3e-aaaa-bbbb-cccc-0123456789ab", type: "death", url: "", desc: "", targetId }) },
  ],
});

async function delivered() {
  await bot.pushes.drained();
  await bot.events.settled();
  await bot.notifier.idle();
}

/** The push arrives and everything it causes is in Discord. */
async function push(title: string, targetId = "") {
  bot.pushFeed.deliver(ANDROID_ID, deathPush(title, targetId));
  await delivered();
}

/** A teammate dies in game (teamChanged), handled and delivered. */
async function dies(id: string) {
  const next = broadcasts.next((b) => b.teamChanged !== undefined);
  rust.killPlayer(id);
  await next;
  await delivered();
}

/** Everyone alive, a minute and a half on (so the next death has its own death time and matching window). */
async function respawnAll() {
  timers.advance(90_000);
  for (const id of [steamId, BOB]) {
    if (rust.world.member(id)?.isAlive) continue;
    const next = broadcasts.next((b) => b.teamChanged !== undefined);
    rust.updateMember(id, { isAlive: true });
    await next;
  }
  await delivered();
}

/** What this test added to #deaths-and-logins, and the death notes it recorded. */
async function after(before: number, notesBefore: number) {
  const notes = await bot.db.prisma.mapNote.findMany({ where: { pairedServerId: serverId, category: "DEATH" }, orderBy: { createdAt: "asc" } });
  return { posts: messages().slice(before), notes: notes.slice(notesBefore).map((n) => n.label) };
}

async function counts() {
  return [messages().length, await bot.db.prisma.mapNote.count({ where: { pairedServerId: serverId, category: "DEATH" } })] as const;
}

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Live deaths" }).id;
  bot = await startTestBot(fake, { rust: { timers, requestTimeoutMs: 600_000, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
  broadcasts = new Log();
  bot.ctx.rust.on("broadcast", (_id, broadcast) => broadcasts.push(broadcast));
  const player = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  steamId = user.steamId;
  await bot.db.prisma.user.update({ where: { id: user.id }, data: { displayName: "Alice" } });
  await setUpAndListen(fake, bot, { guildId, player, steamId, androidId: ANDROID_ID });
  rust = await FakeRustServer.start({
    clock: timers.now,
    players: [{ steamId, playerToken: TOKEN }],
    world: { team: { leaderSteamId: steamId, members: [member(steamId, "Alice in game", 1500, 1500), member(BOB, "Bob", 1000, 2000)] } },
  });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  const server = await bot.db.prisma.pairedServer.create({
    data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
  });
  serverId = server.id;
  const seeded = bot.events.seeded(serverId);
  await bot.ctx.rust.connect(serverId);
  await seeded;
  await delivered();
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("a death on a live server", () => {
  beforeEach(respawnAll);

  it("team state first, then its push: one post with the place, the game's words and the killer", async () => {
    const [before, notes] = await counts();
    await dies(steamId);
    await push("You were killed by Bob", KILLER);
    const { posts, notes: added } = await after(before, notes);
    expect(posts.flatMap((m) => m.embeds)).toEqual([
      expect.objectContaining({ title: "💀 Alice in game died at K10 near Outpost", description: `You were killed by Bob\n${KILLER_LINE}`, footer: { text: "Rustopia EU" } }),
    ]);
    expect(added).toEqual(["Alice in game died at K10 near Outpost"]);
  });

  it("push first, then the team state: the same one post", async () => {
    const [before, notes] = await counts();
    await push("You were killed by Bob", KILLER);
    await dies(steamId);
    const { posts, notes: added } = await after(before, notes);
    expect(posts.flatMap((m) => m.embeds)).toEqual([
      expect.objectContaining({ title: "💀 Alice died at K10 near Outpost", description: `You were killed by Bob\n${KILLER_LINE}`, footer: { text: "Rustopia EU" } }),
    ]);
    expect(added).toEqual(["Alice in game died at K10 near Outpost"]);
  });

  it("both at once, before anything is posted: still one post with everything", async () => {
    const [before] = await counts();
    const next = broadcasts.next((b) => b.teamChanged !== undefined);
    rust.killPlayer(steamId);
    bot.pushFeed.deliver(ANDROID_ID, deathPush("You were killed by a Scientist", ""));
    await next;
    await delivered();
    const posts = messages().slice(before).flatMap((m) => m.embeds);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ title: expect.stringMatching(/^💀 Alice( in game)? died at K10 near Outpost$/), description: "You were killed by a Scientist" });
  });

  it("posts a push the team state never showed, and a death it shows much later on its own", async () => {
    const [before] = await counts();
    await push("You were killed by a Bear");
    timers.advance(5 * 60_000);
    await dies(steamId);
    const posts: APIEmbed[] = messages().slice(before).flatMap((m) => m.embeds);
    expect(posts).toEqual([
      expect.objectContaining({ title: "💀 Alice died", description: "You were killed by a Bear" }),
      expect.not.objectContaining({ description: expect.anything() }),
    ]);
    expect(posts[1]?.title).toBe("💀 Alice in game died at K10 near Outpost");
  });

  it("does not mix the owner's push with a teammate's death", async () => {
    const [before] = await counts();
    await dies(BOB);
    await push("You were killed by a Scientist");
    expect(messages().slice(before).flatMap((m) => m.embeds)).toEqual([
      expect.objectContaining({ title: "💀 Bob died at G6" }),
      expect.objectContaining({ title: "💀 Alice died", description: "You were killed by a Scientist" }),
    ]);
    expect(embeds().filter((e) => e.title === "💀 Bob died at G6")[0]?.description).toBeUndefined();
  });
});
