// The simulated world's own life, one step at a time: online teammates walk between the base and the monuments
// they like, the game clock runs (day turns to night), a teammate says something now and then, one logs on or
// off, the tool cupboard fills up, and a map event comes by. Everything goes through the fake Rust+ server as the
// game would send it: walking changes positions only (Rust+ sends no teamChanged for movement, which is why the bot
// polls getTeamInfo: src/ingame/start.ts), logins and storage changes are broadcast by the fake's own methods.
import { EntityType, type FakeRustServer } from "../../test/fakes/rustplus/index.ts";
import { BASE, CAST, CHATTER, EVENT_CHATTER, ITEM, YOU, monument, slots } from "./world-sim-cast.ts";
import type { EventKind } from "./world-sim-events.ts";

/** What the motion needs from the world it moves. */
export interface MotionHost {
  readonly rust: FakeRustServer;
  readonly random: () => number;
  /** The base's storage monitor, if the base has one now. */
  storageId(): number | undefined;
  /** Starts a map event unless one of that kind is already on the map; returns whether it did. */
  startEvent(kind: EventKind): boolean;
}

/** Running speed in game (metres per second). */
const WALK_SPEED = 5.5;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

interface Walk {
  target: { x: number; y: number } | null;
  /** Standing about before the next walk (ms). */
  idleMs: number;
}

export class Motion {
  readonly #walks = new Map<string, Walk>();
  /** Countdowns (ms) to the next line of chat, login change, cupboard deposit and map event. */
  #chatIn = 45 * SECOND;
  #loginIn = 4 * MINUTE;
  #depositIn = 3 * MINUTE;
  #eventIn = 90 * SECOND;
  /** Lines someone will say soon, about what just happened. */
  #pending: string[] = [];
  #wasDay: boolean | undefined;

  constructor(private readonly host: MotionHost) {}

  /** The map was wiped: everyone starts over at the base. */
  reset(): void {
    this.#walks.clear();
    this.#pending = [];
    this.#wasDay = undefined;
  }

  /** An event seen by the team: someone mentions it a little later. */
  mention(kind: string): void {
    const line = EVENT_CHATTER[kind];
    if (line) this.#pending.push(line);
  }

  /** Moves the world `ms` on (the server is up). */
  step(ms: number): void {
    this.#walk(ms);
    this.#clock(ms);
    if ((this.#chatIn -= ms) <= 0) this.#chat();
    if ((this.#loginIn -= ms) <= 0) this.#toggleLogin();
    if ((this.#depositIn -= ms) <= 0) this.#deposit();
    if ((this.#eventIn -= ms) <= 0) this.#event();
  }

  #between(from: number, to: number): number {
    return from + this.host.random() * (to - from);
  }

  #walk(ms: number): void {
    for (const member of this.host.rust.world.team?.members ?? []) {
      const cast = CAST.find((c) => c.steamId === member.steamId);
      // You are at the keyboard in your base; the dead and the sleeping do not walk.
      if (!cast || cast === YOU || !member.isOnline || !member.isAlive) continue;
      const walk = this.#walks.get(member.steamId) ?? { target: null, idleMs: this.#between(5, 20) * SECOND };
      this.#walks.set(member.steamId, walk);
      if (!walk.target) {
        if ((walk.idleMs -= ms) > 0) continue;
        const haunt = cast.haunts[Math.floor(this.host.random() * cast.haunts.length)] ?? "base";
        const place = haunt === "base" ? BASE : monument(haunt);
        // Somewhere in the place, not its exact centre.
        walk.target = { x: place.x + this.#between(-40, 40), y: place.y + this.#between(-40, 40) };
      }
      const dx = walk.target.x - member.x;
      const dy = walk.target.y - member.y;
      const distance = Math.hypot(dx, dy);
      const reach = (WALK_SPEED * ms) / SECOND;
      if (reach >= distance) {
        member.x = walk.target.x;
        member.y = walk.target.y;
        walk.target = null;
        walk.idleMs = this.#between(20, 60) * SECOND;
      } else {
        member.x += (dx / distance) * reach;
        member.y += (dy / distance) * reach;
      }
    }
  }

  /** The game clock: `dayLengthMinutes` real minutes make 24 game hours. */
  #clock(ms: number): void {
    const time = this.host.rust.world.time;
    time.time = (time.time + ((ms / MINUTE) * 24) / time.dayLengthMinutes) % 24;
    const day = time.time >= time.sunrise && time.time < time.sunset;
    if (this.#wasDay !== undefined && day !== this.#wasDay) this.mention(day ? "day" : "night");
    this.#wasDay = day;
  }

  #chat(): void {
    this.#chatIn = this.#between(60, 120) * SECOND;
    const speakers = (this.host.rust.world.team?.members ?? []).filter((m) => m.steamId !== YOU.steamId && m.isOnline);
    const speaker = speakers[Math.floor(this.host.random() * speakers.length)];
    if (!speaker) return;
    const line = this.#pending.shift() ?? CHATTER[Math.floor(this.host.random() * CHATTER.length)] ?? "o/";
    this.host.rust.postTeamMessage(speaker.steamId, line);
  }

  /** The teammate who started offline comes on for a while, then logs off again (teamChanged both times). */
  #toggleLogin(): void {
    this.#loginIn = this.#between(4, 7) * MINUTE;
    const sleeper = CAST.find((c) => !c.online);
    const member = sleeper && this.host.rust.world.member(sleeper.steamId);
    if (!member) return;
    this.host.rust.updateMember(member.steamId, { isOnline: !member.isOnline });
    if (!member.isOnline) this.#walks.delete(member.steamId);
  }

  /**
   * Someone drops their farm in the tool cupboard, or, when it is nearly full, takes wood and stone out to build:
   * the storage monitor's change is broadcast.
   */
  #deposit(): void {
    this.#depositIn = this.#between(2.5, 4) * MINUTE;
    const id = this.host.storageId();
    const entity = id === undefined ? undefined : this.host.rust.world.entities.get(id);
    if (id === undefined || entity?.type !== EntityType.StorageMonitor) return;
    const totals = new Map<number, number>();
    for (const item of entity.items) totals.set(item.itemId, (totals.get(item.itemId) ?? 0) + item.quantity);
    const full = entity.items.length > entity.capacity - 4;
    const change = (itemId: number, quantity: number) => totals.set(itemId, Math.max(0, (totals.get(itemId) ?? 0) + quantity));
    change(ITEM.wood, (full ? -Math.round(this.#between(30, 50)) : Math.round(this.#between(3, 12))) * 100);
    change(ITEM.stones, (full ? -Math.round(this.#between(30, 50)) : Math.round(this.#between(2, 8))) * 100);
    this.host.rust.setStorage(id, slots(totals));
  }

  #event(): void {
    this.#eventIn = this.#between(3, 5) * MINUTE;
    const kinds: EventKind[] = ["cargo", "heli", "chinook"];
    const kind = kinds[Math.floor(this.host.random() * kinds.length)] ?? "heli";
    if (this.host.startEvent(kind)) this.mention(kind);
  }
}
