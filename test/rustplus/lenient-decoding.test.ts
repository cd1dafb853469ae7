// Every Rust+ response and broadcast with its fields at their defaults, which real servers leave off the wire since the
// March 2025 update (rustplus.js #76, rustplusplus #408/#409/#410), decoded by the real rustplus.js client through the
// bot's shared lenient schema: nothing throws, and every absent field reads 0, false, "" or [].
import { once } from "node:events";
import RustPlus from "@liamcottle/rustplus.js";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { shareRustPlusProto, undecodableFrame } from "../../src/rustplus/shared-proto.ts";
import { Log } from "../fakes/discord/waitable.ts";
import type { AppMessage, RustPlusClient } from "../fakes/rustplus/client-types.ts";
import { EntityType, FakeRustServer, MarkerType, decodeMessage, encodeRequest, type Encoding, type Team } from "../fakes/rustplus/index.ts";

const ME = "76561198000000001";
const MATE = "76561198000000002";
const TOKEN = 0; // a token of 0 is left off the wire too
const SWITCH = 11, MONITOR = 12;

shareRustPlusProto();

const servers: FakeRustServer[] = [];
const clients: RustPlusClient[] = [];

afterEach(async () => {
  for (const rp of clients.splice(0)) rp.disconnect();
  for (const server of servers.splice(0)) {
    await server.close();
    expect(server.faults).toEqual([]);
  }
});

/** Everything at its default that can be: time 0, nobody online, a dead member at (0, 0), a map note of type 0, a free sale. */
async function start(encoding: Encoding = "omit-defaults"): Promise<FakeRustServer> {
  const member = (steamId: string, name: string) => ({ steamId, name, x: 0, y: 0, isOnline: false, spawnTime: 0, isAlive: false, deathTime: 0 });
  const team: Team = { leaderSteamId: ME, members: [member(ME, "Me"), member(MATE, "")], mapNotes: [{ type: 0, x: 0, y: 0 }], leaderMapNotes: [] };
  const server = await FakeRustServer.start({
    clock: () => 0,
    encoding,
    players: [{ steamId: ME, playerToken: TOKEN }],
    world: {
      info: { name: "", map: "", mapSize: 0, wipeTime: 0, players: 0, maxPlayers: 0, queuedPlayers: 0, seed: 0, salt: 0 },
      time: { dayLengthMinutes: 0, timeScale: 0, sunrise: 0, sunset: 0, time: 0 },
      map: { width: 0, height: 0, oceanMargin: 0, jpgImage: new Uint8Array(), monuments: [{ token: "outpost", x: 0, y: 0 }] },
      team,
      markers: [
        { id: 0, type: MarkerType.Player, x: 0, y: 0, steamId: ME },
        { id: 1, type: MarkerType.VendingMachine, x: 0, y: 0, name: "", outOfStock: false, sellOrders: [
          { itemId: 0, quantity: 0, currencyId: 0, costPerItem: 0, amountInStock: 0, itemIsBlueprint: false, currencyIsBlueprint: false },
        ] },
      ],
      entities: {
        [SWITCH]: { type: EntityType.Switch, value: false },
        [MONITOR]: { type: EntityType.StorageMonitor, items: [], capacity: 0, hasProtection: false, protectionExpiry: 0 },
      },
    },
  });
  servers.push(server);
  return server;
}

async function connect(server: FakeRustServer): Promise<{ rp: RustPlusClient; messages: Log<AppMessage> }> {
  const rp = new RustPlus("127.0.0.1", server.port, ME, TOKEN);
  const messages = new Log<AppMessage>();
  rp.on("message", (message: AppMessage) => messages.push(message));
  rp.on("error", () => undefined);
  clients.push(rp);
  const connected = once(rp, "connected");
  rp.connect();
  await connected;
  return { rp, messages };
}

describe("a server that leaves every default off the wire", () => {
  it("sends no field at its default: no queuedPlayers, no monument x, no currencyIsBlueprint, no note type", async () => {
    const server = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`);
    await once(ws, "open");
    const frames = new Log<Buffer>();
    ws.on("message", (data: Buffer) => frames.push(data));
    const ask = async (seq: number, request: Record<string, unknown>) => {
      ws.send(encodeRequest({ seq, playerId: ME, playerToken: TOKEN, ...request }));
      return (decodeMessage(await frames.next()) as { response: Record<string, unknown> }).response;
    };
    expect(await ask(1, { getInfo: {} })).toEqual({ seq: 1, info: {} });
    expect(await ask(2, { getTime: {} })).toEqual({ seq: 2, time: {} });
    expect(await ask(3, { getMap: {} })).toEqual({ seq: 3, map: { monuments: [{ token: "outpost" }] } });
    expect(await ask(4, { getTeamInfo: {} })).toEqual({ seq: 4, teamInfo: { leaderSteamId: ME, members: [{ steamId: ME, name: "Me" }, { steamId: MATE }], mapNotes: [{}] } });
    expect(await ask(5, { getMapMarkers: {} })).toEqual({ seq: 5, mapMarkers: { markers: [{ type: 1, steamId: ME }, { id: 1, type: 3, sellOrders: [{}] }] } });
    expect(await ask(6, { entityId: MONITOR, getEntityInfo: {} })).toEqual({ seq: 6, entityInfo: { type: EntityType.StorageMonitor, payload: {} } });
    ws.terminate();
  });

  it("decodes every response through rustplus.js with absent fields at 0, false, \"\" and []", async () => {
    const server = await start();
    const { rp } = await connect(server);

    const { info } = await rp.sendRequestAsync({ getInfo: {} });
    expect([info?.queuedPlayers, info?.players, info?.maxPlayers, info?.mapSize, info?.wipeTime, info?.name, info?.seed]).toEqual([0, 0, 0, 0, 0, "", 0]);
    const { time } = await rp.sendRequestAsync({ getTime: {} });
    expect([time?.time, time?.sunrise, time?.sunset, time?.dayLengthMinutes, time?.timeScale]).toEqual([0, 0, 0, 0, 0]);

    const { map } = await rp.sendRequestAsync({ getMap: {} });
    expect([map?.width, map?.height, map?.oceanMargin, map?.jpgImage.length]).toEqual([0, 0, 0, 0]);
    expect(map?.monuments.map((m) => [m.token, m.x, m.y])).toEqual([["outpost", 0, 0]]);

    const { teamInfo } = await rp.sendRequestAsync({ getTeamInfo: {} });
    expect(teamInfo?.leaderSteamId.toString()).toBe(ME);
    expect(teamInfo?.members.map((m) => [m.steamId.toString(), m.name, m.x, m.y, m.isOnline, m.isAlive, m.spawnTime, m.deathTime])).toEqual([
      [ME, "Me", 0, 0, false, false, 0, 0],
      [MATE, "", 0, 0, false, false, 0, 0],
    ]);
    expect(teamInfo?.mapNotes.map((n) => [n.type, n.x, n.y])).toEqual([[0, 0, 0]]);
    expect(teamInfo?.leaderMapNotes).toEqual([]);

    const { teamChat } = await rp.sendRequestAsync({ getTeamChat: {} });
    expect(teamChat?.messages).toEqual([]);

    const markers = (await rp.sendRequestAsync({ getMapMarkers: {} })).mapMarkers?.markers ?? [];
    expect(markers.map((m) => [m.id, m.type, m.x, m.y, m.name, m.outOfStock])).toEqual([[0, 1, 0, 0, "", false], [1, 3, 0, 0, "", false]]);
    const order = markers[1]?.sellOrders[0];
    expect([order?.itemId, order?.quantity, order?.currencyId, order?.costPerItem, order?.amountInStock, order?.itemIsBlueprint, order?.currencyIsBlueprint])
      .toEqual([0, 0, 0, 0, 0, false, false]);

    const storage = (await rp.sendRequestAsync({ entityId: MONITOR, getEntityInfo: {} })).entityInfo;
    expect(storage?.type).toBe(EntityType.StorageMonitor);
    expect([storage?.payload?.value, storage?.payload?.items, storage?.payload?.capacity, storage?.payload?.hasProtection, storage?.payload?.protectionExpiry])
      .toEqual([false, [], 0, false, 0]);
    const off = (await rp.sendRequestAsync({ entityId: SWITCH, getEntityInfo: {} })).entityInfo;
    expect([off?.type, off?.payload?.value]).toEqual([EntityType.Switch, false]);

    await rp.sendRequestAsync({ setSubscription: { value: false } });
    expect((await rp.sendRequestAsync({ checkSubscription: {} })).flag?.value).toBe(false);
  });

  it("decodes every broadcast: entityChanged with value false, teamChanged, a team message at time 0 with no colour", async () => {
    const server = await start();
    const { rp, messages } = await connect(server);
    await rp.sendRequestAsync({ entityId: SWITCH, getEntityInfo: {} });
    await rp.sendRequestAsync({ entityId: MONITOR, getEntityInfo: {} });

    server.setEntityValue(SWITCH, false);
    const changed = await messages.waitFor((m) => m.broadcast?.entityChanged?.entityId === SWITCH);
    expect(changed.broadcast?.entityChanged?.payload?.value).toBe(false);

    server.setStorage(MONITOR, []);
    const emptied = await messages.waitFor((m) => m.broadcast?.entityChanged?.entityId === MONITOR && m.broadcast.entityChanged.payload?.value === false);
    expect(emptied.broadcast?.entityChanged?.payload?.items).toEqual([]);

    server.postTeamMessage(MATE, "", "");
    const said = await messages.waitFor((m) => Boolean(m.broadcast?.teamMessage));
    const message = said.broadcast?.teamMessage?.message;
    expect([message?.steamId.toString(), message?.name, message?.message, message?.color, message?.time]).toEqual([MATE, "", "", "", 0]);

    server.updateMember(MATE, { isOnline: false });
    const team = await messages.waitFor((m) => Boolean(m.broadcast?.teamChanged));
    expect(team.broadcast?.teamChanged?.playerId.toString()).toBe(ME);
    expect(team.broadcast?.teamChanged?.teamInfo?.members.map((m) => [m.x, m.isOnline, m.deathTime])).toEqual([[0, false, 0], [0, false, 0]]);
    expect(team.broadcast?.teamChanged?.teamInfo?.mapNotes.map((n) => n.type)).toEqual([0]);
  });

  it("decodes the older encoding too (every required field written, defaults included)", async () => {
    const server = await start("write-defaults");
    const { rp } = await connect(server);
    expect((await rp.sendRequestAsync({ getInfo: {} })).info?.queuedPlayers).toBe(0);
    const markers = (await rp.sendRequestAsync({ getMapMarkers: {} })).mapMarkers?.markers ?? [];
    expect(markers[1]?.sellOrders[0]?.currencyIsBlueprint).toBe(false);
  });
});

describe("a frame that does not decode", () => {
  it("reaches the client as one marked empty message, the process lives on and the socket keeps answering", async () => {
    const server = await start();
    const { rp, messages } = await connect(server);
    server.sendRaw(new Uint8Array([0x0a, 0x07, 0x08, 0x07, 0x32, 0x03])); // a response cut short
    const bad = await messages.next();
    expect([bad.response, bad.broadcast]).toEqual([null, null]);
    expect(undecodableFrame(bad)).toMatchObject({ bytes: 6, error: expect.objectContaining({ message: expect.stringContaining("index out of range") }) });
    expect((await rp.sendRequestAsync({ getTime: {} })).time?.time).toBe(0);
    expect(messages.items.filter((m) => undecodableFrame(m))).toHaveLength(1);
  });
});
