// BattleMetrics as the bot uses it, through the real fetch against the fake and a real database: 403 and 401
// switch it off with one message to the operator while the poll's lists pass unchanged, the daily re-check
// switches it back on, servers are matched by IP and port, Steam ids are bound, and look-ups charge first.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { BattleMetrics } from "../../src/intel/battlemetrics/index.ts";
import { RequestLimiter, sharedLimiter } from "../../src/intel/battlemetrics/limiter.ts";
import { pickServer } from "../../src/intel/battlemetrics/matching.ts";
import type { ServerResource } from "../../src/intel/battlemetrics/schemas.ts";
import type { LookupCharge, PolledServer } from "../../src/intel/types.ts";
import { DISCORD_PROVIDER } from "../../src/identity/linked-user.ts";
import { Notifier } from "../../src/notify/notifier.ts";
import { FakeBattleMetrics } from "../fakes/battlemetrics/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { createUser, steamId } from "../helpers/fixtures.ts";
import { capturedLogger } from "../helpers/logs.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

let db: TestDatabase;
let fake: FakeBattleMetrics;
let operatorId: string;
const OPERATOR_STEAM = steamId();
const IP = "198.51.100.20";

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeBattleMetrics.start();
  const operator = await createUser(db.prisma, { steamId: OPERATOR_STEAM });
  operatorId = operator.id;
  await db.prisma.account.create({ data: { userId: operator.id, provider: DISCORD_PROVIDER, providerAccountId: "400000000000000001" } });
  // Two servers on one IP (told apart by port) and a namesake elsewhere.
  fake.addServer({ id: "501", name: "Rustoria Main", ip: IP, port: 28015, portQuery: 28016, online: ["11", "12", "13"] });
  fake.addServer({ id: "502", name: "Rustoria Long", ip: IP, port: 28025, portQuery: 28026, online: ["14"] });
  fake.addServer({ id: "503", name: "Rustoria Long", ip: "192.0.2.9", port: 28025, portQuery: 28026 });
  fake.addPlayer({ id: "11", name: "Alice", servers: ["501"], steamId: "76561198000000011", createdAt: "2025-03-01T10:00:00.000Z", updatedAt: "2026-06-30T20:00:00.000Z", names: [{ name: "alice_old", lastSeen: "2025-09-01T00:00:00.000Z" }, { name: "Alice", lastSeen: "2026-06-30T20:00:00.000Z" }], sessions: [{ start: "2026-06-30T18:00:00.000Z", stop: null, name: "Alice" }, { start: "2026-06-29T18:00:00.000Z", stop: "2026-06-29T21:00:00.000Z", name: "Alice" }] });
  fake.addPlayer({ id: "12", name: "Bob", servers: ["501"] });
  fake.addPlayer({ id: "13", name: "Bob", servers: ["501"] }); // the same name twice: names neither
  fake.addPlayer({ id: "14", name: "Dora", servers: ["502"] });
  fake.addPlayer({ id: "15", name: "Alicia", servers: ["501"], steamId: "76561198000000015" });
}, 120_000);
afterAll(async () => {
  await fake.close();
  await db.dispose();
});
beforeEach(async () => {
  fake.calls.length = 0;
  fake.refuse = undefined;
  await db.prisma.integrationState.deleteMany();
  await db.prisma.notificationOutbox.deleteMany();
  await db.prisma.playerSteamLink.deleteMany();
  await db.prisma.intelServer.deleteMany();
});

function make(options: { token?: string; admins?: string[]; limiter?: RequestLimiter } = {}) {
  const timers = new ManualTimers();
  const { logger, logs } = capturedLogger();
  const bm = new BattleMetrics({
    config: { BATTLEMETRICS_TOKEN: options.token ?? fake.token, BATTLEMETRICS_API_URL: fake.url, ADMIN_STEAM_IDS: options.admins ?? [OPERATOR_STEAM] },
    prisma: db.prisma,
    notifier: new Notifier(db.prisma, logger),
    logger,
    timers,
    limiter: options.limiter ?? new RequestLimiter(timers),
    timeoutMs: 5_000,
  });
  return { bm, timers, logs };
}

async function intelServer(data: { appPort: number; queryPort: number | null; name: string | null }): Promise<PolledServer> {
  const row = await db.prisma.intelServer.create({ data: { ip: IP, ...data } });
  return { id: row.id, ip: row.ip, appPort: row.appPort, queryPort: row.queryPort, name: row.name, battlemetricsServerId: row.battlemetricsServerId };
}

const mainServer = () => intelServer({ appPort: 28082, queryPort: 28016, name: "Rustoria Main" });
const listed = () => [{ name: "Alice", connectedSeconds: 60 }, { name: "Bob" }, { name: "Carol" }];
const charges: string[] = [];
const refunds: string[] = [];
const charge: LookupCharge = async (_userId, reference) => {
  charges.push(`${reference}@${fake.calls.length}`);
  return async () => void refunds.push(reference);
};
const bm401State = () => db.prisma.integrationState.findUniqueOrThrow({ where: { id: "battlemetrics" } });
const operatorMessages = () => db.prisma.notificationOutbox.findMany({ where: { userId: operatorId }, orderBy: { createdAt: "asc" } });

describe("403: switched off, A2S carries on", () => {
  it("switches off with exactly one operator message; lists pass unchanged; look-ups say why; the daily re-check switches back on", async () => {
    const { bm, timers } = make();
    const server = await mainServer();
    fake.refuse = { status: 403 };

    expect(await bm.enricher.enrich(server, listed())).toEqual(listed());
    expect(await bm.enricher.enrich(server, listed())).toEqual(listed());
    expect(await bm.enricher.fallbackList(server)).toBeUndefined();
    const lookup = bm.playerDetails("u1", "11", charge).catch((e: unknown) => e);
    expect(await lookup).toBeInstanceOf(UserError);
    expect(((await lookup) as Error).message).toMatch(/^BattleMetrics is switched off: .*subscription/);
    // Another process on the same database sees the switch and sends nothing either.
    const other = make().bm;
    expect(await other.enricher.enrich(server, listed())).toEqual(listed());
    expect(fake.calls).toHaveLength(1);

    const state = await db.prisma.integrationState.findUniqueOrThrow({ where: { id: "battlemetrics" } });
    expect(state.disabledReason).toContain("subscription");
    expect(state.nextCheckAt?.getTime()).toBe(timers.now() + 24 * 3_600_000);
    expect(state.operatorToldAt).not.toBeNull();
    const told = await operatorMessages();
    expect(told).toHaveLength(1);
    expect(told[0]?.family).toBe("STATUS");
    expect(JSON.stringify(told[0]?.payload)).toContain("A2S");
    expect(bm.enabled()).toBe(false);

    // Not due before a day has passed; due after, and BattleMetrics answers again.
    expect(await bm.recheck()).toBe("not-due");
    expect(fake.calls).toHaveLength(1);
    timers.advance(24 * 3_600_000);
    expect(await bm.recheck()).toBe("still-off"); // still 403
    expect(await operatorMessages()).toHaveLength(1);
    fake.refuse = undefined;
    timers.advance(24 * 3_600_000);
    expect(await bm.recheck()).toBe("back-on");
    expect(bm.enabled()).toBe(true);
    expect(await operatorMessages()).toHaveLength(2);
    expect(JSON.stringify((await operatorMessages())[1]?.payload)).toContain("BattleMetrics back on");
    expect((await bm.enricher.enrich(server, listed()))[0]).toMatchObject({ name: "Alice", battlemetricsPlayerId: "11" });
  });

  it("sends one message when several processes meet the 403 at once", async () => {
    // Their clocks differ a little, as different machines' do.
    const processes = [0, 1, 2].map((skew) => {
      const p = make();
      p.timers.advance(skew);
      return p.bm;
    });
    const server = await mainServer();
    fake.refuse = { status: 403 };
    await Promise.all(processes.map((bm) => bm.enricher.enrich(server, listed())));
    expect(fake.calls.length).toBeGreaterThan(1);
    expect(await operatorMessages()).toHaveLength(1);
  });

  it("tells 401 apart: the token is wrong, and it stops sending too", async () => {
    const { bm } = make({ token: "wrong-token" });
    const server = await mainServer();
    expect(await bm.enricher.enrich(server, listed())).toEqual(listed());
    expect(await bm.enricher.enrich(server, listed())).toEqual(listed());
    expect(fake.calls).toHaveLength(1);
    const state = await bm.state();
    expect(state).toMatchObject({ configured: true, on: false });
    expect(state.configured && state.reason).toContain("401");
    const told = await operatorMessages();
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]?.payload)).toContain("Set a valid BATTLEMETRICS_TOKEN");
    expect(JSON.stringify(told[0]?.payload)).not.toContain("Subscribe");
  });

  it("checks again at start, so a corrected token works after a restart", async () => {
    const server = await mainServer();
    await make({ token: "wrong-token" }).bm.enricher.enrich(server, listed());
    expect((await bm401State()).disabledAt).not.toBeNull();
    const restarted = make();
    await restarted.bm.start();
    restarted.bm.stop();
    expect(restarted.bm.enabled()).toBe(true);
    expect((await bm401State()).disabledAt).toBeNull();
    expect((await operatorMessages()).map((m) => JSON.stringify(m.payload))).toEqual([expect.stringContaining("switched off"), expect.stringContaining("back on")]);
  });

  it("logs once at error level when no operator can be told", async () => {
    const { bm, logs } = make({ admins: [] });
    fake.refuse = { status: 403 };
    const server = await mainServer();
    await bm.enricher.enrich(server, listed());
    await bm.enricher.enrich(server, listed());
    expect(logs.filter((l) => l["level"] === 50 && String(l["msg"]).startsWith("no operator to tell"))).toHaveLength(1);
    expect(await operatorMessages()).toHaveLength(0);
  });

  it("without a token, everything answers 'not set up' and nothing is sent", async () => {
    const { bm } = make({ token: "" });
    expect(bm.enabled()).toBe(false);
    expect(await bm.state()).toEqual({ configured: false });
    const server = await mainServer();
    expect(await bm.enricher.enrich(server, listed())).toEqual(listed());
    await expect(bm.findPlayer("u1", server, "Alice", charge)).rejects.toThrow(/not set up/);
    expect(fake.calls).toHaveLength(0);
  });
});

describe("server matching", () => {
  const res = (id: string, ip: string, port: number, portQuery: number, name: string): ServerResource => ({ type: "server", id, attributes: { name, ip, port, portQuery } });

  it("prefers the query port, then the game port as query port, then the app port's game port; the name breaks ties", () => {
    const a = res("1", IP, 28015, 28016, "A");
    const b = res("2", IP, 28025, 28026, "B");
    expect(pickServer([a, b], { ip: IP, appPort: 28092, queryPort: 28026, name: null })?.id).toBe("2");
    expect(pickServer([a, b], { ip: IP, appPort: 28092, queryPort: 28015, name: null })?.id).toBe("1");
    expect(pickServer([a, b], { ip: IP, appPort: 28092, queryPort: null, name: null })?.id).toBe("2");
    const twin = res("3", IP, 28025, 28026, "B twin");
    expect(pickServer([b, twin], { ip: IP, appPort: 1, queryPort: 28026, name: null })).toBeUndefined();
    expect(pickServer([b, twin], { ip: IP, appPort: 1, queryPort: 28026, name: "b TWIN" })?.id).toBe("3");
    expect(pickServer([res("4", "192.0.2.1", 28015, 28016, "A")], { ip: IP, appPort: 28082, queryPort: 28016, name: "A" })).toBeUndefined();
  });

  it("finds the server by IP and port, stores its id, and does not search again", async () => {
    const { bm } = make();
    const server = await intelServer({ appPort: 28092, queryPort: 28026, name: "Rustoria Long" });
    const enriched = await bm.enricher.enrich(server, [{ name: "Dora" }]);
    expect(enriched).toEqual([{ name: "Dora", battlemetricsPlayerId: "14" }]);
    expect((await db.prisma.intelServer.findUniqueOrThrow({ where: { id: server.id } })).battlemetricsServerId).toBe("502");
    expect(fake.callsTo("/servers")[0]?.query.get("filter[search]")).toBe(IP);
  });

  it("searches for a server not found at most once a day", async () => {
    const { bm, timers } = make();
    const server = await intelServer({ appPort: 29999, queryPort: 29998, name: "Nowhere" });
    expect(await bm.enricher.enrich(server, listed())).toEqual(listed());
    const searches = fake.callsTo("/servers").length;
    expect(searches).toBe(2); // the IP, then the name
    await bm.enricher.enrich(server, listed());
    timers.advance(23 * 3_600_000);
    await bm.enricher.enrich(server, listed());
    expect(fake.callsTo("/servers")).toHaveLength(searches);
    timers.advance(3_600_000);
    await bm.enricher.enrich(server, listed());
    expect(fake.callsTo("/servers")).toHaveLength(searches * 2);
  });
});

describe("the enricher", () => {
  it("adds BattleMetrics and linked Steam ids by name, leaving ambiguous and unknown names alone, from a list kept five minutes", async () => {
    const { bm, timers } = make();
    await db.prisma.playerSteamLink.create({ data: { battlemetricsPlayerId: "11", steamId: "76561198000000011", source: "manual" } });
    const server = { ...(await mainServer()), battlemetricsServerId: "501" };
    expect(await bm.enricher.enrich(server, listed())).toEqual([
      { name: "Alice", connectedSeconds: 60, battlemetricsPlayerId: "11", steamId: "76561198000000011" },
      { name: "Bob" },
      { name: "Carol" },
    ]);
    await bm.enricher.enrich(server, listed());
    expect(fake.callsTo("/servers/501")).toHaveLength(1);
    timers.advance(5 * 60_000);
    await bm.enricher.enrich(server, listed());
    expect(fake.callsTo("/servers/501")).toHaveLength(2);
    expect(await bm.enricher.fallbackList(server)).toEqual([
      { name: "Alice", battlemetricsPlayerId: "11", steamId: "76561198000000011" },
      { name: "Bob", battlemetricsPlayerId: "12" },
      { name: "Bob", battlemetricsPlayerId: "13" },
    ]);
  });

  it("returns the list unchanged, sending nothing, when the budget is short", async () => {
    const timers = new ManualTimers();
    const limiter = new RequestLimiter(timers);
    const { bm } = make({ limiter });
    limiter.pauseUntil(timers.now() + 60_000);
    const server = { ...(await mainServer()), battlemetricsServerId: "501" };
    expect(await bm.enricher.enrich(server, listed())).toEqual(listed());
    expect(fake.calls).toHaveLength(0);
  });

  it("uses the one process-wide limiter unless given another", () => {
    const { logger } = capturedLogger();
    const bm = new BattleMetrics({ config: { BATTLEMETRICS_TOKEN: "t", BATTLEMETRICS_API_URL: fake.url, ADMIN_STEAM_IDS: [] }, prisma: db.prisma, notifier: new Notifier(db.prisma, logger), logger });
    expect(bm.limiter).toBe(sharedLimiter());
    expect(sharedLimiter()).toBe(sharedLimiter());
  });
});

describe("look-ups", () => {
  beforeEach(() => {
    charges.length = 0;
    refunds.length = 0;
  });

  it("charge before the call; a failed charge sends nothing", async () => {
    const { bm } = make();
    const server = await mainServer();
    const refuse: LookupCharge = async () => {
      throw new UserError("No BattleMetrics look-ups left today and no credits.");
    };
    await expect(bm.findPlayer("u1", server, "Ali", refuse)).rejects.toThrow("No BattleMetrics look-ups left");
    await expect(bm.playerDetails("u1", "11", refuse)).rejects.toThrow("No BattleMetrics look-ups left");
    await expect(bm.playerFromSteamId("u1", "76561198000000011", refuse)).rejects.toThrow("No BattleMetrics look-ups left");
    expect(fake.calls).toHaveLength(0);

    expect(await bm.findPlayer("u1", server, "Ali", charge)).toEqual([
      { battlemetricsPlayerId: "11", name: "Alice" },
      { battlemetricsPlayerId: "15", name: "Alicia" },
    ]);
    expect(charges).toEqual([`battlemetrics:find:${server.id}@0`]);
  });

  it("refuses bad input before charging", async () => {
    const { bm } = make();
    const server = await mainServer();
    await expect(bm.findPlayer("u1", server, " ", charge)).rejects.toBeInstanceOf(UserError);
    await expect(bm.findPlayer("u1", server, "x".repeat(65), charge)).rejects.toBeInstanceOf(UserError);
    await expect(bm.playerDetails("u1", "12abc", charge)).rejects.toThrow(/not a BattleMetrics player id/);
    await expect(bm.playerFromSteamId("u1", "1234", charge)).rejects.toThrow(/not a Steam id/);
    expect(charges).toEqual([]);
    expect(fake.calls).toHaveLength(0);
  });

  it("gives a player's names, first and last seen, Steam id and sessions", async () => {
    const { bm } = make();
    const details = await bm.playerDetails("u1", "11", charge);
    expect(details).toEqual({
      battlemetricsPlayerId: "11",
      name: "Alice",
      names: [
        { name: "Alice", lastSeen: new Date("2026-06-30T20:00:00.000Z") },
        { name: "alice_old", lastSeen: new Date("2025-09-01T00:00:00.000Z") },
      ],
      firstSeen: new Date("2025-03-01T10:00:00.000Z"),
      lastSeen: new Date("2026-06-30T20:00:00.000Z"),
      steamId: "76561198000000011",
    });
    const sessions = await bm.playerSessions("u1", "11", charge, 5);
    expect(sessions).toEqual([
      { start: new Date("2026-06-30T18:00:00.000Z"), stop: null, name: "Alice" },
      { start: new Date("2026-06-29T18:00:00.000Z"), stop: new Date("2026-06-29T21:00:00.000Z"), name: "Alice" },
    ]);
    await expect(bm.playerDetails("u1", "999", charge)).rejects.toThrow("BattleMetrics does not know that player.");
  });

  it("binds a Steam id from BattleMetrics, or from a Steam id by quick-match", async () => {
    const { bm } = make();
    expect(await bm.bindSteamFromBattleMetrics("u1", "11", charge)).toEqual({ steamId: "76561198000000011", name: "Alice" });
    expect(await db.prisma.playerSteamLink.findUnique({ where: { battlemetricsPlayerId: "11" } })).toMatchObject({ steamId: "76561198000000011", source: "battlemetrics" });
    await expect(bm.bindSteamFromBattleMetrics("u1", "12", charge)).rejects.toThrow(/does not show this player's Steam id/);
    expect(await db.prisma.playerSteamLink.count()).toBe(1);

    expect(await bm.playerFromSteamId("u1", "76561198000000015", charge)).toBe("15");
    expect(fake.callsTo("/players/quick-match")[0]?.body).toEqual({ data: [{ type: "identifier", attributes: { type: "steamID", identifier: "76561198000000015" } }] });
    expect(await db.prisma.playerSteamLink.findUnique({ where: { battlemetricsPlayerId: "15" } })).toMatchObject({ steamId: "76561198000000015", source: "battlemetrics" });
    await expect(bm.playerFromSteamId("u1", "76561198000000099", charge)).rejects.toThrow(/knows no player/);
  });

  it("gives back look-ups BattleMetrics failed (429 pause too long, 5xx, unreadable, 403 mid-call) and keeps answers (not found, no Steam id)", async () => {
    const { bm, timers } = make();
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    await expect(bm.playerDetails("u1", "999", charge)).rejects.toThrow("BattleMetrics does not know that player.");
    await expect(bm.bindSteamFromBattleMetrics("u1", "12", charge)).rejects.toThrow(/does not show this player's Steam id/);
    await expect(bm.playerFromSteamId("u1", "76561198000000099", charge)).rejects.toThrow(/knows no player/);
    expect(refunds).toEqual([]);

    fake.failNext(429, 1, { retryAfter: "3600" });
    await expect(bm.playerDetails("u1", "11", charge)).rejects.toThrow("BattleMetrics is busy (rate limit)");
    expect(refunds).toEqual(["battlemetrics:player:11"]);
    timers.advance(3_600_000);

    fake.malformedNext("not-json");
    await expect(bm.playerSessions("u1", "11", charge)).rejects.toThrow("could not read");
    expect(refunds).toEqual(["battlemetrics:player:11", "battlemetrics:sessions:11"]);

    fake.failNext(500, 3);
    const failing = bm.playerDetails("u1", "11", charge).catch((e: unknown) => e);
    for (const wait of [1_000, 2_000]) {
      for (let i = 0; i < 100_000 && timers.nextAt() === undefined; i++) await turn();
      timers.advance(wait);
    }
    expect(((await failing) as Error).message).toMatch(/^BattleMetrics is not answering properly right now \(BattleMetrics had a problem \(HTTP 500\)/);
    expect(refunds).toHaveLength(3);

    fake.refuse = { status: 403 };
    await expect(bm.playerFromSteamId("u1", "76561198000000011", charge)).rejects.toThrow(/^BattleMetrics is switched off/);
    expect(refunds).toEqual(["battlemetrics:player:11", "battlemetrics:sessions:11", "battlemetrics:player:11", "battlemetrics:steam:76561198000000011"]);
    expect(charges).toHaveLength(7);
  });
});
