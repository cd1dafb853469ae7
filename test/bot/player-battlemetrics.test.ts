// /player's BattleMetrics look-ups through discord.js and the real BattleMetrics client against the fake
// BattleMetrics API: link-steam from the BattleMetrics id the poll recorded (one look-up) or from a name search
// on the matched server (two), `info battlemetrics:true` (one), each charged to the day's quota; a player not
// matched, or BattleMetrics switched off, is said plainly and charges nothing; a look-up the 403 cut off is given back.
import type { APIUser } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { utcDay } from "../../src/billing/quota-day.ts";
import { FakeBattleMetrics } from "../fakes/battlemetrics/index.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer } from "../helpers/fixtures.ts";

const IP = "203.0.113.9";
const APP_PORT = 28_082;
const QUERY_PORT = 28_016;
const OLD_STEAM = "76561198000000042";
const ZED_STEAM = "76561198000000077";

let fake: FakeDiscord;
let bm: FakeBattleMetrics;
let bot: TestBot;
let guildId: string;
let alice: APIUser;
let aliceId: string;
let intelId: string;
const prisma = () => bot.db.prisma;
const used = async () => (await prisma().battleMetricsQuota.findUnique({ where: { userId_day: { userId: aliceId, day: utcDay(new Date()) } } }))?.used ?? 0;
const player = (subcommand: string, options: Record<string, OptionValue>) => fake.sendCommand({ guildId, name: "player", subcommand, user: alice, options }).then((h) => h.reply());

beforeAll(async () => {
  fake = await FakeDiscord.start();
  bm = await FakeBattleMetrics.start();
  guildId = fake.createGuild({ name: "BM team" }).id;
  bot = await startTestBot(fake, {
    env: { INTEL_POLL_INTERVAL_MS: "3600000", BATTLEMETRICS_TOKEN: bm.token, BATTLEMETRICS_API_URL: bm.url, TIER_LIMITS: JSON.stringify({ OVERLORD: { battlemetricsLookupsPerDay: 100 } }) },
  });
  alice = fake.createUser({ username: "alice" });
  aliceId = (await linkUser(prisma(), alice.id)).id;
  const server = await createServer(prisma(), aliceId, { ip: IP, port: APP_PORT });
  await prisma().pairedServer.update({ where: { id: server.id }, data: { serverName: "Rustopia EU" } });
  intelId = (await prisma().intelServer.create({ data: { ip: IP, appPort: APP_PORT, queryPort: QUERY_PORT, name: "Rustopia EU", lastAnsweredAt: new Date() } })).id;
  const start = new Date(Date.now() - 3_600_000);
  await prisma().playerSession.createMany({
    data: [
      { intelServerId: intelId, playerName: "Old Timer", battlemetricsPlayerId: "987654", startedAt: start, lastSeenAt: start, endedAt: start },
      { intelServerId: intelId, playerName: "ZedX", startedAt: start, lastSeenAt: start },
      { intelServerId: intelId, playerName: "bobby", startedAt: start, lastSeenAt: start },
    ],
  });
  bm.addServer({ id: "4242", name: "Rustopia EU", ip: IP, port: 28_015, portQuery: QUERY_PORT });
  bm.addPlayer({
    id: "987654",
    name: "Old Timer",
    steamId: OLD_STEAM,
    createdAt: "2025-06-01T10:00:00.000Z",
    updatedAt: "2026-02-01T10:00:00.000Z",
    names: [
      { name: "Old Timer", lastSeen: "2026-02-01T10:00:00.000Z" },
      { name: "Young Timer", lastSeen: "2025-09-01T10:00:00.000Z" },
    ],
  });
  bm.addPlayer({ id: "555", name: "ZedX", steamId: ZED_STEAM, servers: ["4242"] });
  bm.addPlayer({ id: "556", name: "ZedXX", servers: ["4242"] });
});
afterAll(async () => {
  await bot?.stop();
  await bm?.close();
  await fake?.close();
});

describe("/player link-steam from BattleMetrics", () => {
  it("uses the BattleMetrics id the poll recorded: one look-up, bound as from BattleMetrics", async () => {
    const reply = await player("link-steam", { player: "Old Timer" });
    expect(reply.content).toBe(`🔗 Bound **Old Timer** on **Rustopia EU** and BattleMetrics player 987654 to Steam id ${OLD_STEAM}. Their sessions under other names with this Steam id now show in \`/player info\`.`);
    expect(bm.callsTo("/players")).toHaveLength(0);
    expect(bm.callsTo("/players/987654")).toHaveLength(1);
    expect(await used()).toBe(1);
    expect(await prisma().playerSteamLink.findUnique({ where: { battlemetricsPlayerId: "987654" } })).toMatchObject({ steamId: OLD_STEAM, source: "battlemetrics" });
  });

  it("else searches the name on the server's BattleMetrics server (matched by IP and query port), then binds: two look-ups", async () => {
    const reply = await player("link-steam", { player: "ZedX" });
    expect(reply.content).toBe(`🔗 Bound **ZedX** on **Rustopia EU** and BattleMetrics player 555 to Steam id ${ZED_STEAM}. Their sessions under other names with this Steam id now show in \`/player info\`.`);
    expect(bm.callsTo("/players")[0]?.query.get("filter[servers]")).toBe("4242");
    expect(await used()).toBe(3);
    expect((await prisma().intelServer.findUniqueOrThrow({ where: { id: intelId } })).battlemetricsServerId).toBe("4242");
  });

  it("a name BattleMetrics does not list there is an answer (charged) and binds nothing", async () => {
    const reply = await player("link-steam", { player: "bobby" });
    expect(reply.content).toBe("BattleMetrics lists no player called **bobby** on this server. Give the Steam id in `steamid:` if you know it.");
    expect(await used()).toBe(4);
    expect(await prisma().playerIntelNote.count({ where: { playerName: "bobby" } })).toBe(0);
  });
});

describe("/player info battlemetrics:true", () => {
  it("adds BattleMetrics' names and first/last seen for a matched player (one look-up); nothing without the option", async () => {
    const plain = await player("info", { player: "Old Timer", timezone: "UTC" });
    expect(plain.content).not.toContain("BattleMetrics");
    expect(await used()).toBe(4);
    const reply = await player("info", { player: "Old Timer", timezone: "UTC", battlemetrics: true });
    const at = (iso: string, style: string) => `<t:${Date.parse(iso) / 1000}:${style}>`;
    expect(reply.content).toContain(`\nBattleMetrics player 987654 · Steam id ${OLD_STEAM}\n`);
    expect(reply.content).toContain(`\nBattleMetrics names: Old Timer (${at("2026-02-01T10:00:00.000Z", "d")}), Young Timer (${at("2025-09-01T10:00:00.000Z", "d")})\n`);
    expect(reply.content).toContain(`\nBattleMetrics first seen ${at("2025-06-01T10:00:00.000Z", "f")} · last seen ${at("2026-02-01T10:00:00.000Z", "f")}\n`);
    expect(await used()).toBe(5);
  });

  it("says why not for a player not matched to BattleMetrics, and charges nothing", async () => {
    const reply = await player("info", { player: "bobby", timezone: "UTC", battlemetrics: true });
    expect(reply.content).toContain("\nBattleMetrics: this player is not matched to a BattleMetrics player yet");
    expect(await used()).toBe(5);
  });
});

describe("BattleMetrics switched off", () => {
  it("a 403 mid-call switches it off; then both commands say so plainly, send nothing and charge nothing", async () => {
    bm.refuse = { status: 403 };
    const refused = await player("link-steam", { player: "ZedX" });
    expect(refused.content).toBe("BattleMetrics is switched off: BattleMetrics requires a paid subscription for API access (403).");
    expect(await used()).toBe(5); // charged, then given back: BattleMetrics failed it
    const calls = bm.calls.length;
    const link = await player("link-steam", { player: "ZedX" });
    expect(link.content).toBe("BattleMetrics is switched off on this bot (BattleMetrics requires a paid API subscription (403)). Give the player's Steam id in `steamid:` (17 digits, 7656119…).");
    const info = await player("info", { player: "Old Timer", timezone: "UTC", battlemetrics: true });
    expect(info.content).toContain("\nBattleMetrics: not asked: BattleMetrics is switched off on this bot (BattleMetrics requires a paid API subscription (403)).\n");
    expect(bm.calls.length).toBe(calls);
    expect(await used()).toBe(5);
  });
});
