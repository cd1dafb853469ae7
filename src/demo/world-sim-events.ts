// Map events of the simulated world: markers that come in from beyond the map's edge, travel, and leave, as the
// bot reads them by polling getMapMarkers (src/events/map-tracker.ts): a cargo ship or a patrol helicopter first
// seen off the grid "entered", gone off the grid "left"; a Chinook near an oil rig calls heavy scientists there.
// Movement only changes the world's markers: Rust+ sends no broadcast for them (the client polls).
import { MarkerType, type Marker, type World } from "../../test/fakes/rustplus/index.ts";
import { monument } from "./world-sim-cast.ts";

export type EventKind = "cargo" | "heli" | "chinook" | "crate";

interface Waypoint {
  x: number;
  y: number;
  /** Time spent there before going on (ms). */
  holdMs?: number;
}

interface Mover {
  kind: EventKind;
  marker: Marker;
  route: Waypoint[];
  /** Metres per second. */
  speed: number;
  next: number;
  holdLeftMs: number;
}

const TYPE: Record<EventKind, number> = { cargo: MarkerType.CargoShip, heli: MarkerType.PatrolHelicopter, chinook: MarkerType.CH47, crate: MarkerType.Crate };
/** How many of each may be on the map at once (one cargo ship at a time on vanilla servers; crates at monuments). */
const AT_ONCE: Record<EventKind, number> = { cargo: 1, heli: 1, chinook: 1, crate: 2 };
const NAMES: Record<EventKind, string> = { cargo: "a cargo ship", heli: "a patrol helicopter", chinook: "a Chinook", crate: "two locked crates" };
/** Monuments a locked crate may sit at. */
const CRATE_SITES = ["launchsite", "airfield_display_name", "train_yard_display_name", "power_plant_display_name"];

/**
 * Routes in map metres (the map is 3000 m; beyond 0…3000 is the ocean off the grid). Speeds are compressed so a
 * whole event fits in a few minutes of the demo (a real cargo ship stays about 50 minutes), yet each leg spans
 * several of the bot's 12-second polls.
 */
function route(kind: EventKind, random: () => number): { route: Waypoint[]; speed: number } {
  const at = (token: string, holdMs?: number): Waypoint => ({ ...monument(token), ...(holdMs !== undefined && { holdMs }) });
  switch (kind) {
    case "cargo": {
      const y = 500 + random() * 300;
      return { speed: 12, route: [{ x: -350, y }, { x: 420, y: 330 }, { x: 1500, y: 240, holdMs: 60_000 }, { x: 2620, y: 420 }, { x: 3380, y: 760 }] };
    }
    case "heli":
      return { speed: 40, route: [{ x: 1400 + random() * 400, y: 3400 }, { x: 2000, y: 1350 }, at("outpost", 30_000), at("bandit_camp", 20_000), { x: -420, y: 820 }] };
    case "chinook":
      return { speed: 30, route: [{ x: 3400, y: 1800 }, at("dome_monument_name"), at("large_oil_rig", 90_000), { x: 3420, y: -320 }] };
    case "crate": {
      const site = monument(CRATE_SITES[Math.floor(random() * CRATE_SITES.length)] ?? "launchsite");
      return { speed: 0, route: [{ x: site.x + 12, y: site.y - 8, holdMs: 240_000 }] };
    }
  }
}

export class MapEvents {
  readonly #movers: Mover[] = [];

  constructor(private readonly random: () => number) {}

  /** Why `kind` cannot start now, or null. */
  refusal(kind: EventKind): string | null {
    const count = this.#movers.filter((m) => m.kind === kind).length;
    if (count < AT_ONCE[kind]) return null;
    return AT_ONCE[kind] === 1 ? `There is already ${NAMES[kind]} on the map: wait for it to leave.` : `There are already ${NAMES[kind]} on the map: wait for one to go.`;
  }

  /** Puts the event's marker at its starting point (off the grid for anything that flies or sails in). */
  start(world: World, kind: EventKind, id: number): Marker {
    const { route: path, speed } = route(kind, this.random);
    const first = path[0]!;
    const marker: Marker = { id, type: TYPE[kind], x: first.x, y: first.y, rotation: 0 };
    world.markers.push(marker);
    this.#movers.push({ kind, marker, route: path, speed, next: 1, holdLeftMs: first.holdMs ?? 0 });
    return marker;
  }

  /** Moves everything `ms` further; what reached the end of its route leaves the map. */
  step(world: World, ms: number): void {
    for (const mover of [...this.#movers]) {
      if (this.#advance(mover, ms)) continue;
      this.#movers.splice(this.#movers.indexOf(mover), 1);
      world.markers = world.markers.filter((m) => m !== mover.marker);
    }
  }

  /** The kinds on the map now, for the panel. */
  current(): { kind: EventKind; marker: Marker }[] {
    return this.#movers.map((m) => ({ kind: m.kind, marker: m.marker }));
  }

  /** A wipe: the new map starts empty. */
  clear(): void {
    this.#movers.length = 0;
  }

  /** Whether the mover is still on its route after `ms`. */
  #advance(mover: Mover, ms: number): boolean {
    let left = ms;
    while (left > 0) {
      if (mover.holdLeftMs > 0) {
        const held = Math.min(mover.holdLeftMs, left);
        mover.holdLeftMs -= held;
        left -= held;
        continue;
      }
      const target = mover.route[mover.next];
      if (!target || mover.speed <= 0) return false;
      const dx = target.x - mover.marker.x;
      const dy = target.y - mover.marker.y;
      const distance = Math.hypot(dx, dy);
      const reach = (mover.speed * left) / 1000;
      if (reach < distance) {
        mover.marker.x += (dx / distance) * reach;
        mover.marker.y += (dy / distance) * reach;
        left = 0;
      } else {
        mover.marker.x = target.x;
        mover.marker.y = target.y;
        left -= (distance / mover.speed) * 1000;
        mover.holdLeftMs = target.holdMs ?? 0;
        mover.next++;
      }
      // Heading in degrees, 0 north, clockwise (as the game's markers turn on the Rust+ map).
      if (distance > 0) mover.marker.rotation = (Math.atan2(dx, dy) * 180) / Math.PI;
    }
    return true;
  }
}
