// A bot with /setup done and one live server on the fake Rust server, a team of three, and one clock shared
// by the fake server and the bot's in-game commands (so ages, wipe times and AFK are exact).
import { PermissionFlagsBits, type APIEmbed, type APIUser } from "discord.js";
import type { AppBroadcast } from "../../src/rustplus/connection.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { FakeRustServer, type TeamMember } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { steamId as newSteamId } from "../helpers/fixtures.ts";

export const START = Date.UTC(2026, 10, 30, 12, 0, 0);
const TOKEN = 424_242;

export interface Harness {
  fake: FakeDiscord;
  game: FakeRustServer;
  bot: TestBot;
  guildId: string;
  player: APIUser;
  serverId: string;
  /** The bot's paired player (Alice), Bob (online) and Carol (offline). */
  alice: string;
  bob: string;
  carol: string;
  clock: { now: number };
  teamChatChannel: string;
  /** Every teamMessage the bot received (by which paired server's connection), in order. */
  heard: Log<{ serverId: string; steamId: string; text: string }>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const clock = { now: START };
  const fake = await FakeDiscord.start();
  const guildId = fake.createGuild({ name: "Raid Base" }).id;
  const bot = await startTestBot(fake, { rust: {
      backoff: { baseMs: 20, maxMs: 200 },
      infoEveryMs: 600_000,
      // The fake's buckets refill on the shared clock, a minute per line: the bot's mirror need not wait in real time.
      budget: { limits: { ip: { max: 50, perSecond: 1000 }, player: { max: 25, perSecond: 1000 } } },
    },
    ingame: { now: () => clock.now },
  });
  const player = fake.createUser({ username: "alice_dc" });
  const user = await linkUser(bot.db.prisma, player.id);
  const [alice, bob, carol] = [user.steamId, newSteamId(), newSteamId()];
  const secs = Math.floor(START / 1000);
  const member = (steamId: string, name: string, x: number, y: number, isOnline: boolean): TeamMember => ({
    steamId, name, x, y, isOnline, spawnTime: secs - 3600, isAlive: true, deathTime: 0,
  });
  const game = await FakeRustServer.start({
    clock: () => clock.now,
    players: [{ steamId: alice, playerToken: TOKEN }],
    world: {
      info: { name: "Rustopia", wipeTime: secs - 2 * 86_400 - 3 * 3600, players: 87, maxPlayers: 150, queuedPlayers: 4 },
      team: { leaderSteamId: alice, members: [member(alice, "Alice", 1000, 1000, true), member(bob, "Bob", 1300, 1400, true), member(carol, "Carol", 400, 1000, false)] },
    },
  });
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: player, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  const server = await bot.db.prisma.pairedServer.create({
    data: { userId: user.id, serverName: "Rustopia", ip: "127.0.0.1", port: game.port, playerSteamId: alice, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
  });
  const heard = new Log<{ serverId: string; steamId: string; text: string }>();
  const connected = new Promise<void>((resolve) => bot.ctx.rust.on("state", (id, state) => id === server.id && state.kind === "connected" && resolve()));
  bot.ctx.rust.on("broadcast", (id, b: AppBroadcast) => {
    const message = b.teamMessage?.message;
    if (message) heard.push({ serverId: id, steamId: String(message.steamId), text: message.message });
  });
  // The map's monuments are read once the connection is up: commands name places after them.
  const seeded = bot.events.seeded(server.id);
  await bot.ctx.rust.connect(server.id);
  await connected;
  await seeded;
  const teamChatChannel = fake.channels(guildId).find((c) => c.name === "team-chat")!.id;
  return {
    fake, game, bot, guildId, player, serverId: server.id, alice, bob, carol, clock, teamChatChannel, heard,
    async close() {
      await bot.stop();
      await fake.close();
      await game.close();
    },
  };
}

/** A teammate types in game; resolves with the bot's answers once it has handled the line. */
export async function say(h: Harness, from: string, text: string): Promise<string[]> {
  h.clock.now += 60_000; // a minute between lines: the fake's buckets refill on the shared clock
  const start = h.game.world.chat.length;
  h.game.postTeamMessage(from, text);
  await h.heard.next((m) => m.steamId === from && m.text === text);
  await h.bot.ingame.settled();
  return h.game.world.chat.slice(start + 1).map((m) => m.message);
}

/** The team-chat channel as embeds (author, text), once the notifier has posted everything due. */
export async function teamChatPosts(h: Harness): Promise<{ author: string | undefined; text: string | undefined; at: string | undefined }[]> {
  await h.bot.ingame.settled();
  await h.bot.notifier.idle();
  return h.fake.messages(h.teamChatChannel).flatMap((m) => m.embeds.map((e: APIEmbed) => ({ author: e.author?.name, text: e.description, at: e.timestamp })));
}
