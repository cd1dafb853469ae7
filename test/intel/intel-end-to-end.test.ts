// Player intel end to end through the running bot: a live paired server whose query port is found from its
// Rust+ port (fake A2S over UDP), BattleMetrics on (fake API, real client), #player-intel from /setup, a player
// tagged with /player and a watchlist by tag with a role. The poll posts ONE alert for the player joining and
// nothing for a poll without change; BattleMetrics look-ups spend the day's quota, then credits, then are
// refused; BattleMetrics starting to answer 403 tells the operator once, gives the cut-off look-up back, and
// A2S intel carries on (a leave is still alerted) while /player link-steam says it is off and charges nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermissionFlagsBits, type APIMessage, type APIUser } from "discord.js";
import { addCredits, CREDIT_REASONS } from "../../src/billing/credits.ts";
import { utcDay } from "../../src/billing/quota-day.ts";
import { FakeA2sServer } from "../fakes/a2s/index.ts";
import { FakeBattleMetrics } from "../fakes/battlemetrics/index.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";
import { steamId } from "../helpers/fixtures.ts";

const INTERVAL = 60_000;
const TOKEN = 626_262;
const RICK_STEAM = "76561198000000101";
const ZED_STEAM = "76561198000000102";
let fake: FakeDiscord;
let game: FakeRustServer;
let a2s: FakeA2sServer;
let bm: FakeBattleMetrics;
let bot: TestBot;
let timers: ManualTimers;
let guildId: string;
let role: string;
let alice: APIUser;
let aliceId: string;
let operator: APIUser;
const OPERATOR_STEAM = steamId();
const prisma = () => bot.db.prisma;

/** The fake Rust+ server on P and its query port on P - 66, where Rust's defaults put it (retried if taken). */
async function startGameWithQueryPort(): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    game = await FakeRustServer.start({ world: { info: { name: "Rustopia", maxPlayers: 150 } } });
    try {
      a2s = await FakeA2sServer.start({ port: game.port - 66, name: "Rustopia", maxPlayers: 150, now: () => timers.now() });
      return;
    } catch (err) {
      await game.close();
      if (attempt >= 5) throw err;
    }
  }
}

async function interval() {
  timers.advance(INTERVAL);
  await bot.intel.idle();
}
const command = (name: string, subcommand: string, options: Record<string, OptionValue> = {}) =>
  fake.sendCommand({ guildId, name, subcommand, user: alice, options }).then((h) => h.reply());
const intelChannel = () => fake.channels(guildId).find((c) => c.name === "player-intel")!.id;
async function intelPosts(): Promise<APIMessage[]> {
  await bot.notifier.idle();
  return fake.messages(intelChannel());
}
async function operatorDms(): Promise<APIMessage[]> {
  await bot.notifier.idle();
  return fake.dmMessages(operator.id);
}
const quotaUsed = async () => (await prisma().battleMetricsQuota.findUnique({ where: { userId_day: { userId: aliceId, day: utcDay(new Date()) } } }))?.used ?? 0;
const ledger = () => prisma().creditLedger.findMany({ where: { userId: aliceId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { delta: true, balance: true, reason: true } });
const bmPlayerCalls = () => bm.callsTo(/^\/players/).length;

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  const guild = fake.createGuild({ name: "Raid Base" });
  guildId = guild.id;
  role = guild.createRole("raid-watch", 0n, { mentionable: true }).id;
  await startGameWithQueryPort();
  bm = await FakeBattleMetrics.start();
  // BattleMetrics lists the server on its IP with the game port (Rust+ port - 67) and the query port.
  bm.addServer({ id: "7001", name: "Rustopia", ip: "127.0.0.1", port: game.port - 67, portQuery: a2s.port, online: ["901", "902", "903"] });
  bm.addPlayer({ id: "901", name: "Rick", steamId: RICK_STEAM, servers: ["7001"], names: [{ name: "Rick", lastSeen: "2026-11-01T10:00:00.000Z" }] });
  bm.addPlayer({ id: "902", name: "Zed", steamId: ZED_STEAM, servers: ["7001"] });
  bm.addPlayer({ id: "903", name: "Mo", servers: ["7001"] });
  bot = await startTestBot(fake, {
    env: {
      BATTLEMETRICS_TOKEN: bm.token,
      BATTLEMETRICS_API_URL: bm.url,
      ADMIN_STEAM_IDS: OPERATOR_STEAM,
      TIER_LIMITS: JSON.stringify({ OVERLORD: { battlemetricsLookupsPerDay: 1 } }),
    },
    intel: { timers, random: () => 0.5, a2sTimeoutMs: 1500 },
  });
  alice = fake.createUser({ username: "alice" });
  const user = await linkUser(prisma(), alice.id);
  aliceId = user.id;
  await addCredits(prisma(), aliceId, 2, CREDIT_REASONS.initial);
  operator = fake.createUser({ username: "operator" });
  const op = await linkUser(prisma(), operator.id);
  await prisma().user.update({ where: { id: op.id }, data: { steamId: OPERATOR_STEAM } });
  // Alice's paired server, live (as after pairing in game and `/server live`).
  game.addPlayer(user.steamId, TOKEN);
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  await prisma().pairedServer.create({
    data: { userId: aliceId, serverName: "Rustopia", ip: "127.0.0.1", port: game.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
  });
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: alice, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await game?.close();
  await a2s?.close();
  await bm?.close();
});

describe("player intel in the running bot", () => {
  it("alerts #player-intel once, with the watchlist's role, when a tagged player joins; a poll without change posts nothing", async () => {
    a2s.join("Rick", 600);
    a2s.join("Zed", 300);
    a2s.join("Mo", 60);
    await interval(); // the poll learns of the live pairing
    await interval();
    const sessions = await prisma().playerSession.findMany({ where: { endedAt: null }, orderBy: { playerName: "asc" } });
    // BattleMetrics (on) matched the server by IP and query port, and gave each name its BattleMetrics id.
    expect(sessions.map((s) => [s.playerName, s.battlemetricsPlayerId])).toEqual([["Mo", "903"], ["Rick", "901"], ["Zed", "902"]]);
    a2s.leave("Rick");
    await interval();

    expect((await command("player", "tag", { player: "Rick", action: "add", tag: "raider" })).content).toContain("Tagged **Rick** on **Rustopia** `raider`");
    expect((await command("watchlist", "create", { name: "raiders", tags: "raider", role })).content).toContain(`mentions <@&${role}>`);
    const before = (await intelPosts()).length;
    a2s.join("Rick", 5);
    await interval();
    const posts = (await intelPosts()).slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.content).toBe(`<@&${role}>`);
    expect(`${posts[0]!.embeds[0]?.title}\n${posts[0]!.embeds[0]?.description}`).toBe("👁 1 came online\n🟢 Rick — raiders");
    await interval();
    expect((await intelPosts()).slice(before)).toHaveLength(1);
  });

  it("spends the day's quota, then credits, then refuses; /credits balance shows the ledger", async () => {
    expect((await command("player", "link-steam", { player: "Rick" })).content).toContain(`BattleMetrics player 901 to Steam id ${RICK_STEAM}`);
    expect(await quotaUsed()).toBe(1);
    expect((await command("player", "link-steam", { player: "Zed" })).content).toContain(`BattleMetrics player 902 to Steam id ${ZED_STEAM}`);
    const info = await command("player", "info", { player: "Rick", timezone: "UTC", battlemetrics: true });
    expect(info.content).toContain("\nBattleMetrics names: Rick (");
    expect(await ledger()).toEqual([
      { delta: 2, balance: 2, reason: "initial" },
      { delta: -1, balance: 1, reason: "battlemetrics lookup" },
      { delta: -1, balance: 0, reason: "battlemetrics lookup" },
    ]);
    const calls = bmPlayerCalls();
    const refused = await command("player", "link-steam", { player: "Mo" });
    expect(refused.content).toMatch(/^You have used your BattleMetrics look-ups \(1\/1 today, resets at 00:00 UTC\) and have 0 credits/);
    expect(bmPlayerCalls()).toBe(calls);
    expect((await ledger()).length).toBe(3);

    const balance = (await command("credits", "balance")).content!;
    expect(balance).toContain("You have **0** credits.");
    expect(balance).toContain("BattleMetrics look-ups today: **1/1**");
    expect(balance.match(/\*\*−1\*\* BattleMetrics look-up: battlemetrics:player:90[12] \(balance [01]\)/g)).toHaveLength(2);
    expect(balance).toContain("**+2** starting credits (balance 2)");
  });

  it("a 403 tells the operator once and gives the look-up back; A2S carries on; link-steam then says BattleMetrics is off and charges nothing", async () => {
    await addCredits(prisma(), aliceId, 1, CREDIT_REASONS.purchase, "cs_test_pack");
    bm.refuse = { status: 403 };
    const cut = await command("player", "link-steam", { player: "Mo" });
    expect(cut.content).toBe("BattleMetrics is switched off: BattleMetrics requires a paid subscription for API access (403).");
    expect((await ledger()).slice(-2)).toEqual([
      { delta: -1, balance: 0, reason: "battlemetrics lookup" },
      { delta: 1, balance: 1, reason: "battlemetrics lookup refunded" },
    ]);
    const dms = await operatorDms();
    expect(dms).toHaveLength(1);
    expect(JSON.stringify(dms[0])).toContain("BattleMetrics switched off");

    // A2S goes on: Rick leaving is alerted; the poll asks BattleMetrics nothing while it is off.
    const before = (await intelPosts()).length;
    const bmCalls = bm.calls.length;
    a2s.leave("Rick");
    await interval();
    await interval();
    const posts = (await intelPosts()).slice(before);
    expect(posts.map((p) => `${p.embeds[0]?.title}\n${p.embeds[0]?.description}`)).toEqual(["👁 1 went offline\n🔴 Rick — raiders"]);
    expect(bm.calls.length).toBe(bmCalls);

    const off = await command("player", "link-steam", { player: "Mo" });
    expect(off.content).toBe("BattleMetrics is switched off on this bot (BattleMetrics requires a paid API subscription (403)). Give the player's Steam id in `steamid:` (17 digits, 7656119…).");
    expect(bm.calls.length).toBe(bmCalls);
    expect((await ledger()).at(-1)).toEqual({ delta: 1, balance: 1, reason: "battlemetrics lookup refunded" });
    expect(await operatorDms()).toHaveLength(1);
    expect((await command("credits", "balance")).content).toContain("**+1** BattleMetrics look-up given back (BattleMetrics failed): battlemetrics:player:903 (balance 1)");
  });
});
