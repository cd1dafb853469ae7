// The playground's simulated world through the interfaces the bot uses: a rustplus.js client on the fake Rust+
// server, and the bot's own MCS push client logged in to the fake push service with the credentials the companion
// app's registration gives (read with the bot's own parser of a pasted rustplus.config.json).
import { once } from "node:events";
import RustPlus from "@liamcottle/rustplus.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GameActionError, type GameAction, type WorldView } from "../../src/demo/demo-world-types.ts";
import { startSimulatedWorld, type SimulatedWorld } from "../../src/demo/simulated-world.ts";
import { registerCompanion } from "../../src/demo/world-sim-pushes.ts";
import { parsePastedConfig } from "../../src/rustplus/fcm-credentials.ts";
import { parsePush, type PushEvent } from "../../src/rustplus/push-events.ts";
import { mcsPushSource, type PushSource } from "../../src/rustplus/push-source.ts";
import { shareRustPlusProto } from "../../src/rustplus/shared-proto.ts";
import { Log } from "../fakes/discord/waitable.ts";
import type { AppMessage, RustPlusClient } from "../fakes/rustplus/client-types.ts";
import { eventually } from "../helpers/eventually.ts";

shareRustPlusProto();

let world: SimulatedWorld;
let source: PushSource | undefined;
let rp: RustPlusClient | undefined;
/** Every push the companion's credentials received, parsed as the bot parses them. */
const pushes = new Log<PushEvent>();
const messages = new Log<AppMessage>();
const views: WorldView[] = [];

const device = (kind: "switch" | "alarm" | "storage") => world.view().devices.find((d) => d.kind === kind)!;
const member = (name: string) => world.view().team.find((m) => m.name === name)!;

beforeAll(async () => {
  // No motion: the world changes only by the test's actions. Restarts and respawns quick.
  world = await startSimulatedWorld({ motion: false, seed: 7, restartMs: 100, respawnMs: 100 });
  world.onChange((view) => views.push(view));
});
afterAll(async () => {
  rp?.disconnect();
  source?.stop();
  await world?.close();
});

describe("the simulated world", () => {
  it("starts believable: a named server, a team of four with you in it, four unpaired devices, shops", () => {
    const view = world.view();
    expect(view.serverName).toMatch(/\S/);
    expect(view.port).toBe(world.rust.port);
    expect(view.team).toHaveLength(4);
    expect(view.team.map((m) => m.steamId)).toContain(view.you.steamId);
    expect(view.devices.map((d) => d.kind).sort()).toEqual(["alarm", "storage", "switch", "switch"]);
    expect(view.devices.every((d) => !d.paired)).toBe(true);
    expect(view.vending.length).toBeGreaterThanOrEqual(2);
    expect(view).toMatchObject({ status: "running", serverPaired: false, connections: 0, companion: { registered: false, botListening: false } });
  });

  it("refuses bad or impossible actions with a GameActionError and changes nothing", async () => {
    const before = JSON.stringify(world.view());
    const jonas = member("Jonas");
    const bad: unknown[] = [
      { action: "fly" },
      { action: "restart", now: true },
      { action: "team-chat", text: "   " },
      { action: "team-chat", text: "x".repeat(129) },
      { action: "flip-switch", entityId: -3 },
      { action: "flip-switch", entityId: 1 },
      { action: "flip-switch", entityId: device("alarm").entityId },
      { action: "trigger-alarm", entityId: device("switch").entityId },
      { action: "pair-server" },
      { action: "pair-device", entityId: device("switch").entityId },
      { action: "death", steamId: "76561198000009999" },
      { action: "team-chat", steamId: jonas.steamId, text: "I'm asleep" },
    ];
    for (const action of bad) {
      const outcome = await world.act(action as GameAction).then(() => "done", (error: unknown) => error);
      expect(outcome, JSON.stringify(action)).toBeInstanceOf(GameActionError);
    }
    // What does not exist is a 404 for the page; what cannot be done now a 409.
    await expect(world.act({ action: "flip-switch", entityId: 1 })).rejects.toMatchObject({ status: 404 });
    await expect(world.act({ action: "death", steamId: "76561198000009999" })).rejects.toMatchObject({ status: 404 });
    await expect(world.act({ action: "pair-server" })).rejects.toMatchObject({ status: 409 });
    expect(JSON.stringify(world.view())).toBe(before);
  });

  it("registers companions with ids the push service's check-in can carry (19 digits, within a signed 64-bit integer)", () => {
    for (let i = 0; i < 2_000; i++) {
      const { androidId, securityToken } = registerCompanion("76561198040000001");
      for (const id of [androidId, securityToken]) expect(id.length === 19 && BigInt(id) < 2n ** 63n, id).toBe(true);
    }
  });

  it("register-companion gives a config the bot accepts, and pair-server's push reaches the push client logged in with it", async () => {
    const { message: config } = await world.act({ action: "register-companion" });
    const credentials = parsePastedConfig(config!);
    expect(credentials.steamId).toBe(world.view().you.steamId);
    expect(credentials.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    // Asked again, the companion shows the same registration.
    expect((await world.act({ action: "register-companion" })).message).toBe(config);

    source = mcsPushSource(world.mcs.clientOptions())({
      androidId: credentials.androidId, securityToken: credentials.securityToken, persistentIds: [],
      onData: (raw) => {
        const parsed = parsePush(raw);
        if (parsed.ok) pushes.push(parsed.event);
      },
      onError: () => undefined,
      onStatus: () => undefined,
    });
    await source.start();
    await eventually(() => world.view().companion.botListening);

    await world.act({ action: "pair-server" });
    const pairing = await pushes.waitFor((e) => e.kind === "server-pairing");
    expect(pairing).toMatchObject({ server: { ip: "127.0.0.1", port: world.rust.port, name: world.view().serverName }, playerId: world.view().you.steamId });
    expect(world.view().serverPaired).toBe(true);

    // The pairing's token works on the fake server, as the bot will use it.
    if (pairing.kind !== "server-pairing") throw new Error("not a server pairing");
    rp = new RustPlus("127.0.0.1", world.rust.port, pairing.playerId, pairing.playerToken);
    rp.on("message", (m: AppMessage) => messages.push(m));
    rp.on("error", () => undefined);
    const connected = once(rp, "connected");
    rp.connect();
    await connected;
    const info = await rp.sendRequestAsync({ getInfo: {} });
    expect(info.info?.name).toBe(world.view().serverName);
    await eventually(() => world.view().connections === 1);
  });

  it("a switch flipped in game reaches the connected client as entityChanged; one flipped by the client shows in the view", async () => {
    const id = device("switch").entityId;
    await rp!.sendRequestAsync({ entityId: id, getEntityInfo: {} });
    await world.act({ action: "flip-switch", entityId: id });
    const changed = await messages.waitFor((m) => m.broadcast?.entityChanged?.entityId === id);
    expect(changed.broadcast?.entityChanged?.payload?.value).toBe(true);
    expect(device("switch").value).toBe(true);

    // The bot's On/Off is a setEntityValue through Rust+: the view and its listeners see the fake's new state.
    const seen = views.length;
    await rp!.sendRequestAsync({ entityId: id, setEntityValue: { value: false } });
    await eventually(() => views.slice(seen).some((v) => v.devices.find((d) => d.entityId === id)?.value === false));
  });

  it("pairing and triggering the alarm: its pairing push, then its alarm push and the entityChanged broadcast", async () => {
    const alarm = device("alarm");
    await world.act({ action: "pair-device", entityId: alarm.entityId });
    const paired = await pushes.waitFor((e) => e.kind === "entity-pairing");
    expect(paired).toMatchObject({ entityId: alarm.entityId, entityKind: "ALARM", server: { port: world.rust.port } });
    expect(device("alarm").paired).toBe(true);

    await rp!.sendRequestAsync({ entityId: alarm.entityId, getEntityInfo: {} });
    const from = messages.items.length;
    await world.act({ action: "trigger-alarm", entityId: alarm.entityId });
    expect(await pushes.waitFor((e) => e.kind === "alarm")).toMatchObject({ title: alarm.name, server: { port: world.rust.port } });
    const broadcast = await messages.waitFor((m) => m.broadcast?.entityChanged?.entityId === alarm.entityId && m.broadcast.entityChanged.payload?.value === true, from);
    expect(broadcast).toBeDefined();
  });

  it("your death: teamChanged to the team and a death push; you respawn", async () => {
    const you = world.view().you;
    const from = messages.items.length;
    await world.act({ action: "death", steamId: you.steamId });
    expect(member(you.name).alive).toBe(false);
    await messages.waitFor((m) => m.broadcast?.teamChanged?.teamInfo?.members.some((x) => x.steamId.toString() === you.steamId && !x.isAlive) === true, from);
    expect(await pushes.waitFor((e) => e.kind === "death")).toMatchObject({ server: { port: world.rust.port } });
    await expect(world.act({ action: "death", steamId: you.steamId })).rejects.toThrow(/already dead/);
    await eventually(() => member(you.name).alive);
  });

  it("events, chat and shops change the world the client reads", async () => {
    await world.act({ action: "event", kind: "cargo" });
    await expect(world.act({ action: "event", kind: "cargo" })).rejects.toBeInstanceOf(GameActionError);
    const markers = await rp!.sendRequestAsync({ getMapMarkers: {} });
    expect(markers.mapMarkers?.markers.some((m) => m.type === 5)).toBe(true);
    expect(world.view().events).toEqual([expect.objectContaining({ kind: "cargo", grid: "off grid" })]);

    const from = messages.items.length;
    await world.act({ action: "team-chat", text: "cargo's up" });
    const line = await messages.waitFor((m) => m.broadcast?.teamMessage?.message?.message === "cargo's up", from);
    expect(line.broadcast?.teamMessage?.message?.name).not.toBe(world.view().you.name);

    const shops = world.view().vending.length;
    await world.act({ action: "vending", change: "new-shop" });
    expect(world.view().vending).toHaveLength(shops + 1);
    await world.act({ action: "vending", change: "sell-out" });
    expect(world.view().vending.some((v) => v.outOfStock)).toBe(true);
  });

  it("a restart takes the server down for a while, refusing game actions meanwhile; a wipe voids every pairing", async () => {
    await world.act({ action: "restart" });
    expect(world.view().status).toBe("restarting");
    await expect(world.act({ action: "team-chat", text: "hello?" })).rejects.toThrow(/restarting/);
    await eventually(() => world.view().status === "running");

    const before = world.view().devices.map((d) => d.entityId);
    await world.act({ action: "wipe" });
    await eventually(() => world.view().status === "running");
    const after = world.view();
    expect(after).toMatchObject({ wipes: 1, serverPaired: false, events: [] });
    expect(after.devices.every((d) => !d.paired && !before.includes(d.entityId))).toBe(true);
    await expect(world.act({ action: "pair-device", entityId: after.devices[0]!.entityId })).rejects.toThrow(/Pair with the server first/);
    expect(world.rust.faults).toEqual([]);
  });
});
