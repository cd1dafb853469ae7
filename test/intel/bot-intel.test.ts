// Player intel in the running bot: the poll started with it (one query per interval for three teams on the
// same server), query-port discovery from the Rust+ port and /server query-port through discord.js, sessions
// across a bot restart, and a wipe seen in Rust+ info.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIUser } from "discord.js";
import { FakeA2sServer } from "../fakes/a2s/index.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

const INTERVAL = 60_000;
const WIPE_1 = Math.floor(Date.UTC(2025, 11, 25) / 1000);
const TOKEN = 515_151;
let fake: FakeDiscord;
let game: FakeRustServer;
let a2s: FakeA2sServer;
let bot: TestBot;
let timers: ManualTimers;
let guildId: string;
const teams: { player: APIUser; serverId: string }[] = [];

/** The fake Rust+ server on P and its query port on P - 66, where Rust's defaults put it (retried if that port is taken). */
async function startGameWithQueryPort(): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    game = await FakeRustServer.start({ world: { info: { name: "Rustopia", wipeTime: WIPE_1, maxPlayers: 150 } } });
    try {
      a2s = await FakeA2sServer.start({ port: game.port - 66, name: "Rustopia", maxPlayers: 150, born: WIPE_1, now: () => timers.now() });
      return;
    } catch (err) {
      await game.close();
      if (attempt >= 5) throw err;
    }
  }
}

const intelRow = () => bot.db.prisma.intelServer.findUniqueOrThrow({ where: { ip_appPort: { ip: "127.0.0.1", appPort: game.port } } });
const command = (team: { player: APIUser; serverId: string }, port: string, serverId = team.serverId) =>
  fake.sendCommand({ guildId, name: "server", subcommand: "query-port", options: { server: serverId, port }, user: team.player }).then((h) => h.reply());
const openNames = async () => (await bot.db.prisma.playerSession.findMany({ where: { endedAt: null }, orderBy: { playerName: "asc" } })).map((s) => s.playerName);
async function interval() {
  timers.advance(INTERVAL);
  await bot.intel.idle();
}

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Raid Base" }).id;
  await startGameWithQueryPort();
  bot = await startTestBot(fake, { intel: { timers, random: () => 0.5, a2sTimeoutMs: 1500 } });
  // Three teams pair the same Rust server.
  for (let i = 0; i < 3; i++) {
    const player = fake.createUser();
    const user = await linkUser(bot.db.prisma, player.id);
    game.addPlayer(user.steamId, TOKEN);
    const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
    const server = await bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Rustopia", ip: "127.0.0.1", port: game.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    });
    teams.push({ player, serverId: server.id });
  }
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await game?.close();
  await a2s?.close();
});

describe("the poll in the bot", () => {
  it("finds the query port from the Rust+ port and queries the server once per interval for all three teams", async () => {
    a2s.join("Alice", 900);
    a2s.join("Bob", 30);
    await interval(); // the next cycle learns of the three pairings and spreads their one server within the interval
    const before = a2s.queries;
    await interval();
    expect(a2s.queries - before).toBe(1);
    expect(await intelRow()).toMatchObject({ queryPort: game.port - 66, queryPortManual: false, name: "Rustopia", players: 2, maxPlayers: 150 });
    expect(await bot.db.prisma.intelServer.count()).toBe(1);
    await interval();
    await interval();
    expect(a2s.queries - before).toBe(3);
    expect(await openNames()).toEqual(["Alice", "Bob"]);
  });

  it("keeps sessions across a bot restart and closes who left meanwhile at their last sighting", async () => {
    const lastPoll = (await intelRow()).lastAnsweredAt!;
    await bot.restart(() => {
      a2s.leave("Bob");
      a2s.join("Carol", 5);
      timers.advance(5 * 60_000);
    });
    await bot.intel.idle();
    await interval();
    await interval();
    expect(await openNames()).toEqual(["Alice", "Carol"]);
    const bob = await bot.db.prisma.playerSession.findFirstOrThrow({ where: { playerName: "Bob" } });
    expect(bob.endedAt).toEqual(lastPoll);
    expect(await bot.db.prisma.playerSession.count({ where: { playerName: "Alice" } })).toBe(1);
  });

  it("closes every session at a wipe seen in Rust+ info", async () => {
    const wipe = Math.floor(timers.now() / 1000) - 10;
    game.world.info.wipeTime = wipe;
    const snapshot = new Promise<void>((resolve) => bot.ctx.rust.on("snapshot", (id, s) => id === teams[0]!.serverId && s.info.wipeTime === wipe && resolve()));
    bot.ctx.rust.disconnect(teams[0]!.serverId); // a fresh connection reads the info at once
    await bot.ctx.rust.connect(teams[0]!.serverId);
    await snapshot;
    await bot.intel.idle();
    expect(await openNames()).toEqual([]);
    expect((await intelRow()).wipeAt).toEqual(new Date(wipe * 1000));
    bot.ctx.rust.disconnect(teams[0]!.serverId);
  });
});

describe("/server query-port", () => {
  it("sets a port by hand and probes it, goes back to auto, and refuses bad input and other people's servers", async () => {
    const found = (await intelRow()).queryPort;
    // Shared by every team on the server: one owner cannot blind the others with a silent port, nor point
    // everyone's intel at another server on the same host.
    const silent = await FakeA2sServer.start();
    silent.misbehaviour = "silent";
    const set = await command(teams[0]!, String(silent.port));
    expect(set.content).toContain(`port ${silent.port} did not answer within 3 seconds, so it was not set`);
    expect(await intelRow()).toMatchObject({ queryPort: found, queryPortManual: false });
    await silent.close();
    const other = await FakeA2sServer.start({ name: "Someone Else's Server", gamePort: game.port });
    const wrong = await command(teams[1]!, String(other.port));
    expect(wrong.content).toContain(`port ${other.port} answers as another server (**Someone Else's Server**`);
    expect(await intelRow()).toMatchObject({ queryPort: found, queryPortManual: false });
    await other.close();

    const byHand = await command(teams[0]!, String(a2s.port));
    expect(byHand.content).toMatch(new RegExp(`query port set to ${a2s.port}\\. It answers as \\*\\*Rustopia\\*\\*, \\d+/150 players`));

    const auto = await command(teams[0]!, " AUTO ");
    expect(auto.content).toContain(`found its query port, ${a2s.port}`);
    expect(await intelRow()).toMatchObject({ queryPort: a2s.port, queryPortManual: false });

    for (const bad of ["70000", "0", "port", "-1"]) {
      const reply = await command(teams[0]!, bad);
      expect(reply.content).toContain("a number from 1 to 65535, or `auto`");
    }
    const notTheirs = await command(teams[1]!, "28016", teams[0]!.serverId);
    expect(notTheirs.content).not.toContain("query port set");
    expect(await intelRow()).toMatchObject({ queryPort: a2s.port, queryPortManual: false });
  });
});
