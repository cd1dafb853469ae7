// The playground's Rust server: a fake Rust+ server (test/fakes/rustplus) holding a small believable world, and
// the fake push service (test/fakes/mcs) its companion app is registered with. The world moves on its own
// (world-sim-motion.ts, world-sim-events.ts) and the game panel acts on it (act); every change goes through the
// fake server's own API, so the bot sees it through the real protocol: broadcasts on its Rust+ socket, answers to
// its polls, and pushes on its own MCS connection. Nothing here reaches into the bot.
import { randomInt, randomUUID } from "node:crypto";
import { EntityType, FakeRustServer, MarkerType, type Entity, type WorldInit } from "../../test/fakes/rustplus/index.ts";
import { FakeMcs } from "../../test/fakes/mcs/index.ts";
import { gridLabel } from "../events/grid.ts";
import { gameAction, GameActionError, type DemoWorld, type DeviceView, type GameAction, type WorldView } from "./demo-world-types.ts";
import {
  ALARM_TEXT, BASE_DEVICES, CAST, MONUMENTS, SERVER_DESC, SERVER_INFO, TEAMMATES, YOU, atBase, entityOf, startingShops, teamMembers, type BaseDevice,
} from "./world-sim-cast.ts";
import { MapEvents, type EventKind } from "./world-sim-events.ts";
import { Motion } from "./world-sim-motion.ts";
import { alarmPush, deathPush, entityPairingPush, registerCompanion, serverPairingPush, type CompanionRegistration, type PushServer } from "./world-sim-pushes.ts";
import { changeVending } from "./world-sim-vending.ts";
import { seeded } from "../seeded-random.ts";

export interface SimulatedWorldOptions {
  /** The world moves on its own (default true); tests turn it off to see only their own actions. */
  motion?: boolean;
  /** Seed of the world's randomness (entity ids, walks, events); default: a random one. */
  seed?: number;
  /** How long a restart or a wipe keeps the server down (ms, default 6000). */
  restartMs?: number;
  /** How long a dead player waits to respawn at the base (ms, default 30000). */
  respawnMs?: number;
  /** A push service already started (the runner needs its address before the world is built); the world closes it. */
  mcs?: FakeMcs;
}

export type SimulatedWorld = DemoWorld & { rust: FakeRustServer; mcs: FakeMcs };

interface Device extends BaseDevice {
  entityId: number;
  paired: boolean;
}

/** One step of the world's own life (ms); the bot polls every 12 s, so this is smooth enough. */
const STEP_MS = 2_000;
/** How often the view is compared with the last one sent (catches what the bot did: a switch it flipped, its socket). */
const WATCH_MS = 500;
/** A smart alarm stays powered this long after a trigger (a heartbeat sensor's pulse), then resets. */
const ALARM_HOLD_MS = 10_000;
const ENTITY_TYPE = { switch: EntityType.Switch, alarm: EntityType.Alarm, storage: EntityType.StorageMonitor } as const;
/** Who killed you, as the death push names them: no player (targetId "") or one (their Steam id). */
const KILLERS = [
  { title: "You were killed by a Scientist", steamId: "" },
  { title: "You were killed by xX_Raider_Xx", steamId: "76561198900000123" },
  { title: "You died from falling", steamId: "" },
];

/** Starts the fake Rust+ server and push service with the world in them. */
export async function startSimulatedWorld(options: SimulatedWorldOptions = {}): Promise<SimulatedWorld> {
  const seed = options.seed ?? randomInt(2 ** 31);
  const random = seeded(seed);
  const now = Math.floor(Date.now() / 1000);
  const devices = newDevices(random);
  const [rust, mcs] = await Promise.all([FakeRustServer.start({ world: worldInit(now, seed, devices) }), options.mcs ?? FakeMcs.start()]);
  return new Simulation(rust, mcs, random, devices, options);
}

function newDevices(random: () => number): Device[] {
  // Entity ids are the game's network ids: large, and different after every wipe.
  const first = 1_000_000 + Math.floor(random() * 8_000_000);
  return BASE_DEVICES.map((d, i) => ({ ...d, entityId: first + i * 37 + Math.floor(random() * 30), paired: false }));
}

let markerIds = 60_000;
const nextMarkerId = (): number => ++markerIds;

function worldInit(nowSeconds: number, seed: number, devices: Device[], afterWipe = false): WorldInit {
  const entities: Record<number, Entity> = {};
  for (const d of devices) entities[d.entityId] = entityOf(d.kind, nowSeconds);
  const shops = startingShops(markerIds + 1, afterWipe);
  markerIds += shops.length;
  return {
    info: { ...SERVER_INFO, seed, salt: seed % 10_000, wipeTime: afterWipe ? nowSeconds : nowSeconds - 2 * 86_400 },
    // Late afternoon: night falls a few minutes into the demo; 30 real minutes make a game day. A wipe keeps the
    // clock going (the fake keeps the old time unless told).
    ...(!afterWipe && { time: { dayLengthMinutes: 30, timeScale: 1, sunrise: 7, sunset: 19.5, time: 17.2 } }),
    team: { leaderSteamId: YOU.steamId, members: teamMembers(nowSeconds) },
    map: { monuments: MONUMENTS },
    markers: shops,
    entities,
  };
}

class Simulation implements DemoWorld {
  readonly #listeners = new Set<(view: WorldView) => void>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #events: MapEvents;
  readonly #motion: Motion;
  readonly #serverId = randomUUID();
  readonly #restartMs: number;
  readonly #respawnMs: number;
  #devices: Device[];
  #companion: CompanionRegistration | null = null;
  /** Your player token on this server: made when you pair, void after a wipe. */
  #playerToken: number | null = null;
  #serverPaired = false;
  #status: WorldView["status"] = "running";
  #wipes = 0;
  #lastSent = "";
  #closed = false;

  constructor(
    readonly rust: FakeRustServer,
    readonly mcs: FakeMcs,
    private readonly random: () => number,
    devices: Device[],
    options: SimulatedWorldOptions,
  ) {
    this.#devices = devices;
    this.#restartMs = options.restartMs ?? 6_000;
    this.#respawnMs = options.respawnMs ?? 30_000;
    this.#events = new MapEvents(random);
    this.#motion = new Motion({
      rust,
      random,
      storageId: () => this.#devices.find((d) => d.kind === "storage")?.entityId,
      startEvent: (kind) => {
        if (this.#events.refusal(kind) !== null) return false;
        this.#startEvent(kind);
        return true;
      },
    });
    this.#lastSent = JSON.stringify(this.view());
    this.#every(WATCH_MS, () => this.#changed());
    if (options.motion ?? true) {
      this.#every(STEP_MS, () => {
        if (this.#status !== "running") return;
        this.#motion.step(STEP_MS);
        this.#events.step(rust.world, STEP_MS);
        this.#changed();
      });
    }
    // What the bot does shows at once: its MCS login, a switch it flipped (entityChanged is sent right after).
    mcs.on("login", () => this.#changed());
    rust.beforeAnswer = (kind) => {
      if (kind === "setEntityValue") setImmediate(() => this.#changed());
    };
  }

  view(): WorldView {
    const world = this.rust.world;
    const size = world.info.mapSize;
    const grid = (x: number, y: number) => gridLabel(x, y, size);
    const devices: DeviceView[] = this.#devices.flatMap((d) => {
      const entity = world.entities.get(d.entityId);
      if (!entity) return [];
      const value = entity.type === EntityType.StorageMonitor ? entity.items.length > 0 : entity.value;
      return [{ entityId: d.entityId, kind: d.kind, name: d.name, value, paired: d.paired }];
    });
    const kinds = new Map(this.#events.current().map((e) => [e.marker.id, e.kind]));
    return {
      serverName: world.info.name,
      ip: "127.0.0.1",
      port: this.rust.port,
      time: Math.round(world.time.time * 100) / 100,
      isDay: world.time.time >= world.time.sunrise && world.time.time < world.time.sunset,
      you: { steamId: YOU.steamId, name: YOU.name },
      team: (world.team?.members ?? []).map((m) => ({
        steamId: m.steamId, name: m.name, x: Math.round(m.x), y: Math.round(m.y), grid: grid(m.x, m.y), online: m.isOnline, alive: m.isAlive,
      })),
      devices,
      events: world.markers.flatMap((m) => {
        const kind = kinds.get(m.id);
        return kind ? [{ id: m.id, kind, grid: grid(m.x, m.y) }] : [];
      }),
      chat: world.chatLog.map((c) => ({ name: c.name, message: c.message, time: c.time })),
      vending: world.markers.flatMap((m) =>
        m.type === MarkerType.VendingMachine ? [{ id: m.id, name: m.name || "Outpost shop", grid: grid(m.x, m.y), orders: m.sellOrders?.length ?? 0, outOfStock: m.outOfStock ?? false }] : [],
      ),
      companion: { registered: this.#companion !== null, botListening: this.#companion !== null && this.mcs.connectionsOf(this.#companion.androidId) > 0 },
      serverPaired: this.#serverPaired,
      connections: this.rust.connections,
      status: this.#status,
      wipes: this.#wipes,
    };
  }

  onChange(listener: (view: WorldView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async act(input: GameAction): Promise<{ message?: string }> {
    const parsed = gameAction.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GameActionError(`Not a game action: ${issue?.path.length ? `${issue.path.join(".")}: ` : ""}${issue?.message ?? "unreadable"}`);
    }
    if (this.#closed) throw new GameActionError("The playground is shutting down.");
    const action = parsed.data;
    // The companion app lives on your phone: it works while the server is down.
    if (action.action !== "register-companion" && this.#status !== "running") {
      throw new GameActionError("The server is restarting: try again in a few seconds.");
    }
    const result = await this.#do(action);
    this.#changed();
    return result;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#listeners.clear();
    this.rust.beforeAnswer = undefined;
    await Promise.all([this.rust.close(), this.mcs.close()]);
  }

  async #do(action: GameAction): Promise<{ message?: string }> {
    switch (action.action) {
      case "register-companion":
        return { message: this.#registerCompanion().config };
      case "pair-server":
        return this.#pairServer();
      case "pair-device":
        return this.#pairDevice(action.entityId);
      case "team-chat": {
        const speaker = action.steamId === undefined ? this.#someTeammate() : this.#member(action.steamId);
        if (!speaker.isOnline) throw new GameActionError(`${speaker.name} is offline: only players in game can type in team chat.`);
        this.rust.postTeamMessage(speaker.steamId, action.text);
        return { message: `${speaker.name}: ${action.text}` };
      }
      case "trigger-alarm":
        return this.#triggerAlarm(action.entityId);
      case "flip-switch": {
        const device = this.#device(action.entityId, "switch");
        const entity = this.rust.world.entities.get(device.entityId);
        const on = !(entity?.type === EntityType.Switch && entity.value);
        this.rust.setEntityValue(device.entityId, on);
        return { message: `${device.name} switched ${on ? "on" : "off"} in game.` };
      }
      case "event":
        return this.#event(action.kind);
      case "death":
        return this.#death(action.steamId);
      case "restart":
        await this.#goDown(() => undefined);
        return { message: `The server is restarting; it is back in about ${Math.round(this.#restartMs / 1000)} s.` };
      case "wipe":
        await this.#goDown(() => this.#wipe());
        return { message: `The server is wiping: a new map, no base, no pairings. It is back in about ${Math.round(this.#restartMs / 1000)} s.` };
      case "vending":
        return { message: changeVending(this.rust.world, action.change, this.random, nextMarkerId) };
    }
  }

  /** The companion app registers with the push service once; asked again, it shows the same config. */
  #registerCompanion(): CompanionRegistration {
    if (!this.#companion) {
      this.#companion = registerCompanion(YOU.steamId);
      this.mcs.addDevice(this.#companion.androidId, this.#companion.securityToken);
    }
    return this.#companion;
  }

  #pairServer(): { message: string } {
    const companion = this.#needCompanion();
    if (this.#playerToken === null) {
      // The game makes your player token when you first pair (int32, often negative).
      this.#playerToken = randomInt(-(2 ** 31), 2 ** 31 - 1) || 1;
      this.rust.addPlayer(YOU.steamId, this.#playerToken, YOU.name);
    }
    this.mcs.deliver(companion.androidId, serverPairingPush(this.#pushServer(), YOU.steamId, this.#playerToken));
    this.#serverPaired = true;
    return { message: `Pairing sent for ${this.rust.world.info.name}.${this.#listeningHint()}` };
  }

  #pairDevice(entityId: number): { message: string } {
    const device = this.#device(entityId);
    const companion = this.#needPairedServer();
    const type = ENTITY_TYPE[device.kind];
    this.mcs.deliver(companion.androidId, entityPairingPush(this.#pushServer(), YOU.steamId, this.#playerToken!, { id: device.entityId, type, name: device.entityName }));
    const again = device.paired ? " again" : "";
    device.paired = true;
    return { message: `${device.name} (${device.entityName}) paired${again}.${this.#listeningHint()}` };
  }

  #triggerAlarm(entityId: number): { message: string } {
    const device = this.#device(entityId, "alarm");
    const entity = this.rust.world.entities.get(device.entityId);
    // As the game does: re-armed if still on, then powered; the fake broadcasts entityChanged to the sockets that asked about it.
    if (entity?.type === EntityType.Alarm && entity.value) this.rust.setEntityValue(device.entityId, false);
    this.rust.triggerAlarm(device.entityId);
    this.#after(ALARM_HOLD_MS, () => {
      const now = this.rust.world.entities.get(device.entityId);
      if (this.#status === "running" && now?.type === EntityType.Alarm && now.value) this.rust.setEntityValue(device.entityId, false);
    });
    // Its push goes to the phones that paired it.
    if (this.#companion && this.#serverPaired && device.paired) {
      this.mcs.deliver(this.#companion.androidId, alarmPush(this.#pushServer(), YOU.steamId, device.name, ALARM_TEXT.message));
      return { message: `${device.name} went off: its push is on its way.${this.#listeningHint()}` };
    }
    return { message: `${device.name} went off, but it is not paired with Rust+, so no push was sent (a connected bot that read it still sees the change).` };
  }

  #event(kind: EventKind): { message: string } {
    const refusal = this.#events.refusal(kind);
    if (refusal) throw new GameActionError(refusal);
    this.#startEvent(kind);
    this.#motion.mention(kind);
    if (kind === "crate") return { message: "A locked crate appeared at a monument. Rust+ has not sent locked crates since 2023, so no bot can see it." };
    return { message: `${kind === "cargo" ? "A cargo ship" : kind === "heli" ? "A patrol helicopter" : "A Chinook"} is coming in from beyond the map's edge.` };
  }

  #startEvent(kind: EventKind): void {
    this.#events.start(this.rust.world, kind, nextMarkerId());
  }

  #death(steamId: string): { message: string } {
    const member = this.#member(steamId);
    if (!member.isAlive) throw new GameActionError(`${member.name} is already dead.`);
    // isAlive true → false and a new deathTime: teamChanged to the team's sockets.
    this.rust.killPlayer(member.steamId);
    const team = this.rust.world.team;
    if (member.steamId === YOU.steamId && team) {
      // Your own last death is a map note of type 0 (research/rustplus.md).
      team.mapNotes = [...(team.mapNotes ?? []).filter((n) => n.type !== 0), { type: 0, x: member.x, y: member.y }];
    }
    this.#after(this.#respawnMs, () => {
      const now = this.rust.world.member(member.steamId);
      if (this.#status !== "running" || !now || now.isAlive) return;
      const index = CAST.findIndex((c) => c.steamId === member.steamId);
      this.rust.updateMember(member.steamId, { isAlive: true, spawnTime: Math.floor(Date.now() / 1000), ...atBase(index) });
      this.#changed();
    });
    // Only the one who died gets a death push: yours, if your phone is paired with this server.
    if (member.steamId === YOU.steamId && this.#companion && this.#serverPaired) {
      const killer = KILLERS[Math.floor(this.random() * KILLERS.length)] ?? KILLERS[0]!;
      this.mcs.deliver(this.#companion.androidId, deathPush(this.#pushServer(), YOU.steamId, killer.title, killer.steamId));
      return { message: `${member.name} (you): "${killer.title}". Respawn at the base in ${Math.round(this.#respawnMs / 1000)} s.` };
    }
    return { message: `${member.name} died. Respawn at the base in ${Math.round(this.#respawnMs / 1000)} s.` };
  }

  /** The server goes down (sockets dropped, connecting refused), `whileDown` runs, and it comes back later on the same port. */
  async #goDown(whileDown: () => void): Promise<void> {
    this.#status = "restarting";
    this.#changed();
    await this.rust.stop();
    whileDown();
    this.#changed();
    this.#after(this.#restartMs, () => {
      void this.rust.resume().then(() => {
        this.#status = "running";
        this.#changed();
      });
    });
  }

  /** A new map: every player token void, the base and its devices gone, new devices (unpaired) in a new base. */
  #wipe(): void {
    const seed = Math.floor(this.random() * 2 ** 31);
    this.#devices = newDevices(this.random);
    this.#events.clear();
    this.#motion.reset();
    this.rust.wipe(worldInit(Math.floor(Date.now() / 1000), seed, this.#devices, true));
    this.#playerToken = null;
    this.#serverPaired = false;
    this.#wipes++;
  }

  #pushServer(): PushServer {
    const info = this.rust.world.info;
    return { ip: "127.0.0.1", port: this.rust.port, name: info.name, id: this.#serverId, url: info.url, desc: SERVER_DESC };
  }

  #listeningHint(): string {
    const listening = this.#companion !== null && this.mcs.connectionsOf(this.#companion.androidId) > 0;
    return listening ? "" : " The bot is not listening with the companion's credentials yet (/credentials add): the push waits for it.";
  }

  #needCompanion(): CompanionRegistration {
    if (!this.#companion) throw new GameActionError("The companion app is not registered yet: register it first, then paste its config into /credentials add.");
    return this.#companion;
  }

  #needPairedServer(): CompanionRegistration {
    const companion = this.#needCompanion();
    if (!this.#serverPaired || this.#playerToken === null) throw new GameActionError("Pair with the server first: the game pairs devices only on a server Rust+ is paired with.");
    return companion;
  }

  #device(entityId: number, kind?: Device["kind"]): Device {
    const device = this.#devices.find((d) => d.entityId === entityId);
    if (!device) throw new GameActionError(`There is no smart device ${entityId} on your base.`, 404);
    if (kind && device.kind !== kind) throw new GameActionError(`${device.name} (${entityId}) is not a ${kind === "switch" ? "smart switch" : kind === "alarm" ? "smart alarm" : "storage monitor"}.`);
    return device;
  }

  #member(steamId: string) {
    const member = this.rust.world.member(steamId);
    if (!member) throw new GameActionError(`${steamId} is not in your team.`, 404);
    return member;
  }

  /** A teammate in game (not you), for a line of chat nobody was named for. */
  #someTeammate() {
    const online = TEAMMATES.map((t) => this.rust.world.member(t.steamId)).filter((m) => m?.isOnline);
    const member = online[Math.floor(this.random() * online.length)];
    if (!member) throw new GameActionError("No teammate is online to say it.");
    return member;
  }

  /** Tells the listeners when the view differs from the last one they got. */
  #changed(): void {
    if (this.#closed) return;
    const view = this.view();
    const text = JSON.stringify(view);
    if (text === this.#lastSent) return;
    this.#lastSent = text;
    for (const listener of this.#listeners) {
      try {
        listener(view);
      } catch {
        // A listener's failure is its own (the page's connection closed); the world goes on.
      }
    }
  }

  #every(ms: number, run: () => void): void {
    const timer = setInterval(run, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  #after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) run();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }
}
