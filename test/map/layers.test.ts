// The layer set a button carries in its custom id, and layer names typed in /map show.
import { describe, expect, it } from "vitest";
import { decodeLayers, DEFAULT_LAYERS, encodeLayers, LAYERS, parseLayerNames, toggled } from "../../src/map/layers.ts";

describe("map layers", () => {
  it("round-trip through a custom id argument for every set", () => {
    for (let bits = 0; bits < 2 ** LAYERS.length; bits++) {
      const set = new Set(LAYERS.filter((_, i) => bits & (1 << i)));
      expect(decodeLayers(encodeLayers(set))).toEqual(set);
    }
    expect(encodeLayers(DEFAULT_LAYERS)).toBe("111110");
    expect(encodeLayers(toggled(DEFAULT_LAYERS, "shops"))).toBe("111111");
  });

  it("refuse anything else in an id, and name the first unknown word typed", () => {
    for (const bad of ["", "11111", "1111111", "11111x", "grid"]) expect(decodeLayers(bad)).toBeNull();
    expect(parseLayerNames("Grid, monument  TEAM")).toEqual({ layers: new Set(["grid", "monuments", "team"]) });
    expect(parseLayerNames("grid lasers notes")).toEqual({ unknown: "lasers" });
  });
});
