// Places named after the monument they are near ("G12 near Outpost"), from getMap's monument tokens.
import { describe, expect, it } from "vitest";
import { atPlace, MONUMENTS, monumentName, NEAR_METRES, nearMonument, placeOf, placeText } from "../../src/events/monuments.ts";

const map = [
  { token: "outpost", x: 1500, y: 1500 },
  { token: "launchsite", x: 700, y: 2300 },
  { token: "large_oil_rig", x: 2900, y: 200 },
  { token: "train_tunnel_display_name", x: 1000, y: 1000 },
  { token: "DungeonBase", x: 2000, y: 2000 },
];

describe("monuments", () => {
  it("gives the tokens getMap sends the names players use", () => {
    expect(["outpost", "bandit_camp", "airfield_display_name", "launchsite", "large_oil_rig", "oil_rig_small"].map(monumentName)).toEqual([
      "Outpost", "Bandit Camp", "Airfield", "Launch Site", "Large Oil Rig", "Small Oil Rig",
    ]);
    expect(monumentName("train_tunnel_display_name")).toBeUndefined();
    expect(monumentName("constructor")).toBeUndefined();
    for (const info of Object.values(MONUMENTS)) expect(info.radius).toBeGreaterThan(0);
  });

  it("names the monument a position is in or close to, the nearest one first, and none far away", () => {
    expect(nearMonument(1500, 1500, map)).toBe("Outpost");
    expect(nearMonument(1500 + 81 + NEAR_METRES, 1500, map)).toBe("Outpost");
    expect(nearMonument(1500 + 81 + NEAR_METRES + 1, 1500, map)).toBeUndefined();
    // Inside the launch site's 250 m, although farther from its centre than the outpost's reach.
    expect(nearMonument(900, 2200, map)).toBe("Launch Site");
    // Tokens without a readable name (tunnel entrances, dungeons) are never named.
    expect(nearMonument(1000, 1000, map)).toBeUndefined();
    expect(nearMonument(2000, 2000, map)).toBeUndefined();
    expect(nearMonument(1500, 1500, [])).toBeUndefined();
  });

  it("says a place as grid and monument, either alone, or nothing", () => {
    expect(placeOf(1470, 1530, 3000, map)).toEqual({ grid: "J9", near: "Outpost" });
    expect(placeText(placeOf(1470, 1530, 3000, map))).toBe("J9 near Outpost");
    expect(atPlace(placeOf(100, 60, 3000, map))).toBe(" at A19");
    expect(atPlace(placeOf(2950, 3020, 3000, [{ token: "oil_rig_small", x: 2950, y: 3050 }]))).toBe(" near Small Oil Rig");
    expect(atPlace(placeOf(-500, 1500, 3000, map))).toBe("");
    expect(placeOf(Number.NaN, 1500, 3000, map)).toEqual({});
  });
});
