// The fake Rust+ server, driven through the real, unmodified rustplus.js client, decoding with the bot's shared lenient
// schema (the fake leaves default values off the wire, as real servers do; the library's own schema would throw).
import { once } from "node:events";
import RustPlus from "@liamcottle/rustplus.js";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { shareRustPlusProto } from "../../src/rustplus/shared-proto.ts";
import { Log } from "./discord/waitable.ts";
import type { AppMessage, RustPlusClient } from "./rustplus/client-types.ts";
import { EntityType, FakeRustServer, MarkerType, decodeMessage, encodeRequest, type FakeRustServerOptions, type Team } from "./rustplus/index.ts";

const ME = "76561198000000001";
const MATE = "76561198000000002";
const TOKEN = -1234567890;
const SWITCH = 1001, ALARM = 1002, MONITOR = 1003;

shareRustPlusProto();

const servers: FakeRustServer[] = [];
const clients: RustPlusClient[] = [];

async function start(options: FakeRustServerOptions = {}): Promise<FakeRustServer> {
  const server = await FakeRustServer.start({
    players: [{ steamId: ME, playerToken: TOKEN }, { steamId: MATE, playerToken: 42 }],
    world: {
      team: team(),
      entities: {
        [SWITCH]: { type: EntityType.Switch, value: false },
        [ALARM]: { type: EntityType.Alarm, value: false },
        [MONITOR]: { type: EntityType.StorageMonitor, items: [{ itemId: -932201673, quantity: 1000, itemIsBlueprint: false }], capacity: 29, hasProtection: true, protectionExpiry: 1_900_000_000 },
      },
    },
    ...options,
  });
  servers.push(server);
  return server;
}

function team(): Team {
  const member = (steamId: string, name: string, x: number) => ({ steamId, name, x, y: 1200, isOnline: true, spawnTime: 1_700_000_000, isAlive: true, deathTime: 0 });
  return { leaderSteamId: ME, members: [member(ME, "Me", 1000), member(MATE, "Mate", 1100)], mapNotes: [{ type: 1, x: 500, y: 600 }] };
}

/** A client that is not connected yet; its messages are logged. */
function client(server: FakeRustServer, steamId = ME, token = TOKEN): { rp: RustPlusClient; messages: Log<AppMessage> } {
  const rp = new RustPlus("127.0.0.1", server.port, steamId, token);
  const messages = new Log<AppMessage>();
  rp.on("message", (message: AppMessage) => messages.push(message));
  rp.on("error", () => undefined); // rustplus.js re-emits socket errors: without a listener the process dies
  clients.push(rp);
  return { rp, messages };
}

async function connect(server: FakeRustServer, steamId = ME, token = TOKEN): Promise<{ rp: RustPlusClient; messages: Log<AppMessage> }> {
  const c = client(server, steamId, token);
  const connected = once(c.rp, "connected");
  c.rp.connect();
  await connected;
  return c;
}

afterEach(async () => {
  for (const rp of clients.splice(0)) rp.disconnect();
  for (const server of servers.splice(0)) {
    await server.close();
    expect(server.faults).toEqual([]);
  }
});

describe("requests", () => {
  it("answers getInfo, getTime, getTeamInfo, getMap and getMapMarkers with every required field", async () => {
    const server = await start();
    server.setMarkers([
      { id: 1, type: MarkerType.VendingMachine, x: 1500, y: 1400, name: "Scrap for sale", outOfStock: false, sellOrders: [
        { itemId: -932201673, quantity: 100, currencyId: 1326180354, costPerItem: 2, amountInStock: 7, itemIsBlueprint: false, currencyIsBlueprint: false },
      ] },
      { id: 2, type: MarkerType.CargoShip, x: -100, y: 800, rotation: 90 },
      { id: 3, type: MarkerType.TravelingVendor, x: 10, y: 20 },
    ]);
    const { rp } = await connect(server);

    const info = await rp.sendRequestAsync({ getInfo: {} });
    expect(info.info).toMatchObject({ name: "Fake Rust Server", mapSize: 3000, maxPlayers: 200 });
    const viaCallback = await new Promise<AppMessage>((resolve) => rp.getTime((message) => resolve(message)));
    expect(viaCallback.response?.time).toMatchObject({ sunrise: 7, sunset: 20, time: 12 });

    const teamInfo = (await rp.sendRequestAsync({ getTeamInfo: {} })).teamInfo;
    expect(teamInfo?.leaderSteamId.toString()).toBe(ME); // uint64: a Long
    expect(teamInfo?.members.map((m) => [m.steamId.toString(), m.name, m.isAlive])).toEqual([[ME, "Me", true], [MATE, "Mate", true]]);
    expect(teamInfo?.mapNotes).toEqual([expect.objectContaining({ type: 1, x: 500, y: 600 })]);

    const map = (await rp.sendRequestAsync({ getMap: {} })).map;
    expect(Buffer.from(map?.jpgImage ?? []).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff])); // a JPEG, as real servers send
    expect(Buffer.from(map?.jpgImage ?? [])).toEqual(Buffer.from(server.world.map.jpgImage));
    expect(map).toMatchObject({ width: 2500, height: 2500, oceanMargin: 500 }); // 3000 m at 2 m a pixel, 500 px of sea
    expect(map?.monuments.map((m) => m.token)).toContain("outpost");

    const markers = (await rp.sendRequestAsync({ getMapMarkers: {} })).mapMarkers?.markers ?? [];
    expect(markers.map((m) => m.type)).toEqual([3, 5, 9]); // 9 is not in the 2.5.0 enum and still arrives as a number
    expect(markers[0]?.sellOrders).toEqual([expect.objectContaining({ itemId: -932201673, quantity: 100, costPerItem: 2, amountInStock: 7 })]);
    expect(server.requests).toEqual({ getInfo: 1, getTime: 1, getTeamInfo: 1, getMap: 1, getMapMarkers: 1 });
  });

  it("answers not_found, as a plain object, for an unknown entity and for everything with an unknown token", async () => {
    const server = await start();
    const { rp } = await connect(server);
    await expect(rp.sendRequestAsync({ entityId: 999, getEntityInfo: {} })).rejects.toEqual({ error: "not_found" });
    await expect(rp.sendRequestAsync({ entityId: ALARM, setEntityValue: { value: true } })).rejects.toEqual({ error: "not_found" });

    const stranger = await connect(server, ME, TOKEN + 1);
    for (const request of [{ getInfo: {} }, { getTime: {} }, { getMap: {} }, { entityId: SWITCH, getEntityInfo: {} }]) {
      await expect(stranger.rp.sendRequestAsync(request)).rejects.toEqual({ error: "not_found" });
    }
    expect(server.errorsSent).toEqual({ not_found: 6 });
  });

  it("keeps the team's last 20 chat lines for getTeamChat, in memory only, and answers no_team outside a team", async () => {
    const server = await start();
    for (let i = 1; i <= 25; i++) server.postTeamMessage(MATE, `line ${i}`);
    const read = async () => {
      const { rp } = await connect(server);
      return ((await rp.sendRequestAsync({ getTeamChat: {} })).teamChat?.messages ?? []).map((m) => m.message);
    };
    expect(await read()).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 6}`));
    expect(server.world.chat).toHaveLength(25); // the tests' record keeps everything
    // Said during a network outage: kept. A server restart: the history is gone.
    await server.networkOutage(() => server.postTeamMessage(MATE, "during the outage"));
    expect((await read()).at(-1)).toBe("during the outage");
    await server.restart();
    expect(await read()).toEqual([]);
    server.setTeam(null);
    const { rp } = await connect(server);
    await expect(rp.sendRequestAsync({ getTeamChat: {} })).rejects.toEqual({ error: "no_team" });
  });

  it("refuses connections during a network outage and drops the open ones", async () => {
    const server = await start();
    const { rp } = await connect(server);
    const dropped = once(rp, "disconnected");
    await server.networkOutage(async () => {
      await dropped;
      const refused = client(server).rp;
      const attempt = once(refused, "connected");
      refused.connect();
      await expect(attempt).rejects.toThrow(/503/);
      expect(server.connections).toBe(0);
    });
    await connect(server);
    expect(server.connections).toBe(1);
  });

  it("serves raw requests the client has no helper for: getTeamChat, promoteToLeader, subscriptions", async () => {
    const server = await start();
    const { rp, messages } = await connect(server);
    server.postTeamMessage(MATE, "hello from the game");
    expect((await rp.sendRequestAsync({ getTeamChat: {} })).teamChat?.messages.map((m) => [m.name, m.message])).toEqual([["Mate", "hello from the game"]]);
    await rp.sendRequestAsync({ promoteToLeader: { steamId: MATE } });
    expect(server.world.team?.leaderSteamId).toBe(MATE);
    const changed = await messages.waitFor((m) => m.broadcast?.teamChanged !== undefined);
    expect(changed.broadcast?.teamChanged?.teamInfo?.leaderSteamId.toString()).toBe(MATE);
    await expect(rp.sendRequestAsync({ promoteToLeader: { steamId: ME } })).rejects.toEqual({ error: "not_found" }); // no longer leader
    expect((await rp.sendRequestAsync({ checkSubscription: {} })).flag?.value).toBe(true);
    await rp.sendRequestAsync({ setSubscription: { value: false } });
    expect((await rp.sendRequestAsync({ checkSubscription: {} })).flag?.value).toBe(false);
  });
});

describe("broadcasts", () => {
  it("sends entityChanged only for entities the connection asked about; two per storage monitor change", async () => {
    const server = await start();
    const { rp, messages } = await connect(server);
    const alarm = await rp.sendRequestAsync({ entityId: ALARM, getEntityInfo: {} });
    expect(alarm.entityInfo).toMatchObject({ type: EntityType.Alarm, payload: { value: false } });
    await rp.sendRequestAsync({ entityId: MONITOR, getEntityInfo: {} });

    server.setEntityValue(SWITCH, true); // never asked about: nothing is sent
    server.triggerAlarm(ALARM);
    const changed = await messages.waitFor((m) => m.broadcast?.entityChanged?.entityId === ALARM);
    expect(changed.broadcast?.entityChanged?.payload?.value).toBe(true);
    expect(messages.items.filter((m) => m.broadcast?.entityChanged?.entityId === SWITCH)).toEqual([]);

    server.setStorage(MONITOR, [{ itemId: 317398316, quantity: 5, itemIsBlueprint: false }], { protectionExpiry: 0 });
    await messages.waitFor((m) => m.broadcast?.entityChanged?.payload?.items.length === 1 && m.broadcast.entityChanged.payload.items[0]?.itemId === 317398316);
    const storage = messages.items.flatMap((m) => (m.broadcast?.entityChanged?.entityId === MONITOR ? [m.broadcast.entityChanged.payload] : []));
    expect(storage.map((p) => [p?.value, p?.capacity, p?.protectionExpiry])).toEqual([[true, 0, 0], [false, 29, 0]]);
  });

  it("setEntityValue on a switch changes the world and broadcasts to the connections that asked about it", async () => {
    const server = await start();
    const { rp, messages } = await connect(server);
    await rp.sendRequestAsync({ entityId: SWITCH, getEntityInfo: {} });
    const broadcast = messages.next((m) => m.broadcast?.entityChanged?.entityId === SWITCH);
    expect(await rp.sendRequestAsync({ entityId: SWITCH, setEntityValue: { value: true } })).toMatchObject({ success: {} });
    expect((await broadcast).broadcast?.entityChanged?.payload?.value).toBe(true);
    expect(server.world.entities.get(SWITCH)).toEqual({ type: EntityType.Switch, value: true });
  });

  it("echoes sendTeamMessage as teamMessage to every team connection, the sender included; message_not_sent without a team", async () => {
    const server = await start();
    const me = await connect(server);
    const mate = await connect(server, MATE, 42);
    await mate.rp.sendRequestAsync({ getTime: {} }); // a connection hears its player's team once it has made a request
    await me.rp.sendRequestAsync({ sendTeamMessage: { message: "x".repeat(200) } });
    for (const { messages } of [me, mate]) {
      const { broadcast } = await messages.waitFor((m) => m.broadcast?.teamMessage !== undefined);
      expect(broadcast?.teamMessage?.message).toMatchObject({ name: "Me", message: "x".repeat(128), color: "#5af" });
      expect(broadcast?.teamMessage?.message?.steamId.toString()).toBe(ME);
    }
    server.killPlayer(MATE);
    const died = await me.messages.waitFor((m) => m.broadcast?.teamChanged?.teamInfo?.members.some((x) => !x.isAlive) === true);
    expect(died.broadcast?.teamChanged?.playerId.toString()).toBe(ME);

    server.setTeam(null);
    await expect(me.rp.sendRequestAsync({ sendTeamMessage: { message: "anyone?" } })).rejects.toEqual({ error: "message_not_sent" });
    const alone = (await me.rp.sendRequestAsync({ getTeamInfo: {} })).teamInfo;
    expect([alone?.leaderSteamId.toString(), alone?.members.map((m) => m.steamId.toString())]).toEqual(["0", [ME]]);
  });
});

describe("limits", () => {
  it("refuses requests over the per-player bucket with rate_limit until time refills it", async () => {
    const server = await start({ clock: "manual" });
    const { rp } = await connect(server);
    const burst = await Promise.allSettled(Array.from({ length: 26 }, () => rp.sendRequestAsync({ getTime: {} })));
    expect(burst.filter((r) => r.status === "fulfilled")).toHaveLength(25);
    expect(burst.at(-1)).toEqual({ status: "rejected", reason: { error: "rate_limit" } });
    expect(server.rateLimited).toBe(1);

    server.advance(1000); // +3 tokens; getMap costs 5, sendTeamMessage 2
    await expect(rp.sendRequestAsync({ getMap: {} })).rejects.toEqual({ error: "rate_limit" });
    await rp.sendRequestAsync({ sendTeamMessage: { message: "ok" } });
    await rp.sendRequestAsync({ getTime: {} });
    await expect(rp.sendRequestAsync({ getTime: {} })).rejects.toEqual({ error: "rate_limit" });
    expect(server.errorsSent).toEqual({ rate_limit: 3 });
  });

  it("refuses requests over the per-IP bucket, whichever player sends them", async () => {
    const server = await start({ clock: "manual" });
    server.addPlayer("76561198000000003", 3);
    const players = [{ id: ME, token: TOKEN }, { id: MATE, token: 42 }, { id: "76561198000000003", token: 3 }];
    const [a, b, c] = await Promise.all(players.map((p) => connect(server, p.id, p.token)));
    for (const x of [a, b]) await Promise.all(Array.from({ length: 25 }, () => x?.rp.sendRequestAsync({ getTime: {} })));
    await expect(c?.rp.sendRequestAsync({ getTime: {} })).rejects.toEqual({ error: "rate_limit" });
  });

  it("refuses a 6th connection from the same IP as the game does: a close frame instead of the upgrade's answer", async () => {
    const server = await start();
    for (let i = 0; i < 5; i++) await connect(server);
    const sixth = client(server);
    const events: string[] = [];
    for (const event of ["connected", "error", "disconnected"]) sixth.rp.on(event, () => events.push(event));
    const closed = new Promise((resolve) => sixth.rp.once("disconnected", resolve)); // not once(): it rejects on `error`
    sixth.rp.connect();
    await closed;
    expect([events, server.connections, server.refusedConnections]).toEqual([["error", "disconnected"], 5, 1]);
  });

  it("overLimit reject-upgrade: an HTTP 429 answer to the upgrade", async () => {
    const server = await start({ overLimit: "reject-upgrade", limits: { maxConnectionsPerIp: 1 } });
    await connect(server);
    const second = client(server);
    const refused = once(second.rp, "connected");
    second.rp.connect();
    await expect(refused).rejects.toThrow(/429/);
    expect([server.connections, server.refusedConnections]).toEqual([1, 1]);
  });

  it("overLimit close-after-open: the upgrade succeeds, then the socket is closed at once", async () => {
    const server = await start({ overLimit: "close-after-open", limits: { maxConnectionsPerIp: 1 } });
    await connect(server);
    const second = client(server);
    const events: string[] = [];
    for (const event of ["connected", "disconnected"]) second.rp.on(event, () => events.push(event));
    const closed = once(second.rp, "disconnected");
    second.rp.connect();
    await closed;
    expect([events, server.connections, server.refusedConnections]).toEqual([["connected", "disconnected"], 1, 1]);
  });
});

describe("hooks", () => {
  it("wipe: the old token answers not_found; a new pairing works", async () => {
    const server = await start();
    const { rp } = await connect(server);
    await rp.sendRequestAsync({ getInfo: {} });
    server.wipe({ info: { name: "Fresh wipe" } });
    await expect(rp.sendRequestAsync({ getInfo: {} })).rejects.toEqual({ error: "not_found" });
    server.addPlayer(ME, 777);
    const repaired = await connect(server, ME, 777);
    expect((await repaired.rp.sendRequestAsync({ getInfo: {} })).info).toMatchObject({ name: "Fresh wipe", wipeTime: expect.any(Number) as number });
    await expect(repaired.rp.sendRequestAsync({ entityId: SWITCH, getEntityInfo: {} })).rejects.toEqual({ error: "not_found" });
  });

  it("restart: clients see disconnected, connecting fails while down, the same client reconnects after", async () => {
    const server = await start();
    const { rp } = await connect(server);
    const port = server.port;
    const disconnected = once(rp, "disconnected");
    await server.restart(async () => {
      await disconnected;
      const early = client(server);
      const attempt = once(early.rp, "connected");
      early.rp.connect();
      await expect(attempt).rejects.toThrow(/ECONNREFUSED/);
    });
    expect(server.port).toBe(port);
    const connected = once(rp, "connected");
    rp.connect();
    await connected;
    expect((await rp.sendRequestAsync({ getInfo: {} })).info?.name).toBe("Fake Rust Server");
  });

  it("dropConnections: every client sees disconnected", async () => {
    const server = await start();
    const all = await Promise.all([connect(server), connect(server, MATE, 42)]);
    const gone = all.map(({ rp }) => once(rp, "disconnected"));
    server.dropConnections();
    await Promise.all(gone);
    expect(server.connections).toBe(0);
  });

  it("sendRaw reaches every socket unchanged; a message with a field the schema lacks is kept out and recorded as a fault", async () => {
    const server = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`);
    await once(ws, "open");
    const frames = new Log<Buffer>();
    ws.on("message", (data: Buffer) => frames.push(data));
    server.broadcast({ entityChanged: { entityId: 1, paylod: { value: true } } }); // a typo: the fake's own bug
    server.broadcast({ entityChanged: { entityId: "1" } }); // a string where the schema has uint32
    expect(server.faults.splice(0).map((e) => e.message)).toEqual([expect.stringContaining("paylod"), expect.stringContaining("entityId")]);
    server.sendRaw(Buffer.from([0xff, 0x01]));
    expect(await frames.next()).toEqual(Buffer.from([0xff, 0x01]));
    ws.send(encodeRequest({ seq: 7, playerId: ME, playerToken: TOKEN, getTime: {} }));
    expect(decodeMessage(await frames.next())).toMatchObject({ response: { seq: 7, time: { time: 12 } } });
    ws.terminate();
  });
});
