// The map and team trackers on their own: what a sequence of server answers turns into.
import { describe, expect, it } from "vitest";
import { MapTracker } from "../../src/events/map-tracker.ts";
import { hasNpcVending, MarkerWatch } from "../../src/events/marker-watch.ts";
import type { MapMarker, TeamMember } from "../../src/events/schemas.ts";
import { TeamTracker } from "../../src/events/team-tracker.ts";

const marker = (id: number, type: number, x: number, y: number, name?: string): MapMarker => ({ id, type, x, y, ...(name && { name }) });
const kinds = (events: { kind: string; markerId: number }[]) => events.map((e) => `${e.kind}:${e.markerId}`);

describe("MapTracker", () => {
  const rig = { token: "large_oil_rig", x: 2900, y: 200 };

  it("seeds on the first answer, then reports arrivals and departures once", () => {
    const t = new MapTracker(3000, [rig]);
    expect(t.update([marker(1, 5, 1000, 1000), marker(2, 3, 500, 500), marker(3, 4, 2800, 300)])).toEqual([]);
    expect(kinds(t.update([marker(1, 5, 1100, 1000), marker(2, 3, 500, 500), marker(3, 4, 2850, 250), marker(4, 8, -100, 1500)]))).toEqual(["heli-entered:4"]);
    expect(t.update([marker(1, 5, 1200, 1000), marker(2, 3, 500, 500), marker(4, 8, 1500, 1500)])).toEqual([]);
    expect(kinds(t.update([marker(2, 3, 500, 500)]))).toEqual(["cargo-left:1", "heli-destroyed:4"]);
  });

  it("tells a helicopter that flew off the map from one shot down", () => {
    const t = new MapTracker(3000, []);
    t.update([]);
    t.update([marker(7, 8, 2000, 2000)]);
    t.update([marker(7, 8, 3100, 2000)]);
    expect(kinds(t.update([]))).toEqual(["heli-left:7"]);
  });

  it("reports heavy scientists once per Chinook near an oil rig, not for one already there when seeded", () => {
    const t = new MapTracker(3000, [rig, { token: "oil_rig_small", x: 300, y: 300 }]);
    t.update([marker(3, 4, 2800, 300)]);
    expect(t.update([marker(3, 4, 2850, 250), marker(9, 4, 3200, 1000)])).toMatchObject([{ kind: "ch47-entered", markerId: 9 }]);
    expect(t.update([marker(9, 4, 1000, 300)])).toEqual([]);
    expect(t.update([marker(9, 4, 500, 500)])).toMatchObject([{ kind: "heavy-scientists", markerId: 9, name: "oil_rig_small" }]);
    expect(t.update([marker(9, 4, 310, 290)])).toEqual([]);
  });

  it("reports new vending machines with their name and the travelling vendor", () => {
    const t = new MapTracker(3000, []);
    t.update([marker(20, 3, 100, 100, "Old shop")]);
    expect(t.update([marker(20, 3, 100, 100), marker(21, 3, 500, 2500, "Cheap Scrap"), marker(22, 9, 1400, 1600), marker(23, 2, 10, 10)])).toEqual([
      { kind: "vending-machine", markerId: 21, x: 500, y: 2500, name: "Cheap Scrap" },
      { kind: "vendor-arrived", markerId: 22, x: 1400, y: 1600 },
    ]);
    expect(kinds(t.update([]))).toEqual(["vendor-left:22"]);
  });
});

describe("TeamTracker", () => {
  const bob: TeamMember = { steamId: "76561198000000002", name: "Bob", x: 1000, y: 2000, isOnline: true, isAlive: true, spawnTime: 0, deathTime: 0 };

  it("remembers the first state and reports deaths and logins after it, once each", () => {
    const t = new TeamTracker();
    expect(t.update([bob])).toEqual([]);
    expect(t.update([{ ...bob, x: 1200 }])).toEqual([]);
    const dead = { ...bob, isAlive: false, deathTime: 1_000 };
    expect(t.update([dead])).toEqual([{ kind: "death", member: dead }]);
    expect(t.update([dead])).toEqual([]);
    const away = { ...dead, isOnline: false };
    expect(t.update([away])).toEqual([{ kind: "login", member: away, online: false }]);
    // Died again between two states: the new death time tells.
    const again = { ...bob, deathTime: 2_000 };
    expect(t.update([again])).toEqual([{ kind: "death", member: again }, { kind: "login", member: again, online: true }]);
  });

  it("only remembers someone who joins, and forgets someone who leaves", () => {
    const t = new TeamTracker();
    t.update([]);
    expect(t.update([{ ...bob, isOnline: false }])).toEqual([]);
    t.update([]);
    expect(t.update([bob])).toEqual([]);
  });
});

describe("MapTracker with a kind reported again", () => {
  it("remembers the markers of quiet types without announcing them, then reports their changes", () => {
    const t = new MapTracker(3000, []);
    t.update([]);
    expect(t.update([marker(20, 3, 100, 100, "Outpost"), marker(21, 3, 200, 200, "Shop"), marker(1, 5, 1000, 1000)], new Set([3]))).toMatchObject([{ kind: "cargo-entered", markerId: 1 }]);
    expect(kinds(t.update([marker(20, 3, 100, 100), marker(22, 3, 300, 300), marker(1, 5, 1000, 1000)]))).toEqual(["vending-machine:22"]);
  });
});

describe("MarkerWatch", () => {
  const POLL = 12_000;
  /** Polls `n` times, `every` ms apart, in `session`; the last answer's coverage. */
  function polls(w: MarkerWatch, session: object, start: number, n: number, markers: MapMarker[] = [], npcVending = true, every = POLL) {
    let last = w.observe(session, markers, start, npcVending);
    for (let i = 1; i < n; i++) last = w.observe(session, markers, start + i * every, npcVending);
    return last;
  }

  it("finds vending machines unreported after a few polls on a map with Outpost or Bandit Camp, never on a map without", () => {
    expect(hasNpcVending(["launchsite", "outpost"])).toBe(true);
    expect(hasNpcVending(["bandit_camp"])).toBe(true);
    expect(hasNpcVending(["launchsite", "large_oil_rig"])).toBe(false);
    // The Mining Outpost has no shops.
    expect(hasNpcVending(["mining_outpost_display_name"])).toBe(false);
    expect(polls(new MarkerWatch(POLL), {}, 0, 6, [], true).silent).toEqual(["vending"]);
    expect(polls(new MarkerWatch(POLL), {}, 0, 1000, [], false).silent).not.toContain("vending");
  });

  it("counts only polling time: the gap between two connections and a stalled poll do not count", () => {
    const w = new MarkerWatch(POLL);
    polls(w, {}, 0, 900); // 3 hours less one poll
    // Back after a day away: the first answer of the new connection adds nothing.
    expect(polls(w, {}, 86_400_000, 900).silent).toEqual(["vending"]);
    expect(polls(w, {}, 2 * 86_400_000, 3, [], true).silent).toEqual(["cargo", "heli", "ch47", "vending"]);
    // One answer 5 hours after the previous one counts as two poll intervals.
    const stalled = new MarkerWatch(POLL);
    const session = {};
    stalled.observe(session, [], 0, false);
    expect(stalled.observe(session, [], 5 * 3_600_000, false).silent).toEqual([]);
  });

  it("starts again from nothing when a kind is seen", () => {
    const w = new MarkerWatch(POLL);
    const session = {};
    expect(polls(w, session, 0, 1801).silent).toEqual(["cargo", "heli", "ch47", "vending"]);
    const seen = w.observe(session, [marker(1, 5, 100, 100)], 1801 * POLL, true);
    expect(seen).toEqual({ seen: ["cargo"], silent: ["heli", "ch47", "vending"] });
    expect(polls(w, session, 1802 * POLL, 10).silent).not.toContain("cargo");
  });
});
