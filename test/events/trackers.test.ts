// The map and team trackers on their own: what a sequence of server answers turns into.
import { describe, expect, it } from "vitest";
import { MapTracker } from "../../src/events/map-tracker.ts";
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
