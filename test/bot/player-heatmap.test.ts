// The activity heatmap's cells for known session histories: a session across midnight, hour splits in a
// half-hour zone (Asia/Kolkata, UTC+5:30), both DST changes of Europe/Berlin (the clock's hours, not a fixed
// offset), the 30-day window, open sessions and overlaps; and the PNG drawn from it (signature, size).
import { describe, expect, it } from "vitest";
import { imageSize } from "../../src/map/image-size.ts";
import { activityHeatmap, type OnlineSpan } from "../../src/intel/player/heatmap.ts";
import { HEATMAP_HEIGHT, HEATMAP_WIDTH, renderHeatmap } from "../../src/intel/player/heatmap-image.ts";

const at = (iso: string) => new Date(iso);
const span = (from: string, to: string | null): OnlineSpan => ({ startedAt: at(from), endedAt: to === null ? null : at(to) });
const MON = 0;
const TUE = 1;
const SUN = 6;

/** The non-empty cells as "day hour" → minutes, for readable expectations. */
function filled(cells: number[][]): Record<string, number> {
  const out: Record<string, number> = {};
  cells.forEach((row, day) => row.forEach((minutes, hour) => minutes && (out[`${day} ${hour}`] = minutes)));
  return out;
}

describe("activityHeatmap", () => {
  it("splits a session across midnight at each hour (UTC)", () => {
    // Monday 2 November 2026 22:30 → Tuesday 01:15 UTC.
    const cells = activityHeatmap([span("2026-11-02T22:30:00Z", "2026-11-03T01:15:00Z")], "UTC", at("2026-11-10T00:00:00Z"));
    expect(cells).toHaveLength(7);
    expect(cells.every((row) => row.length === 24)).toBe(true);
    expect(filled(cells)).toEqual({ [`${MON} 22`]: 30, [`${MON} 23`]: 60, [`${TUE} 0`]: 60, [`${TUE} 1`]: 15 });
  });

  it("puts minutes in the viewer's hours in a zone off the hour (Asia/Kolkata, UTC+5:30)", () => {
    // 10:00 → 11:00 UTC is 15:30 → 16:30 in Kolkata; 20:00 → 20:40 UTC Monday is 01:30 → 02:10 Tuesday there.
    const cells = activityHeatmap([span("2026-11-02T10:00:00Z", "2026-11-02T11:00:00Z"), span("2026-11-02T20:00:00Z", "2026-11-02T20:40:00Z")], "Asia/Kolkata", at("2026-11-10T00:00:00Z"));
    expect(filled(cells)).toEqual({ [`${MON} 15`]: 30, [`${MON} 16`]: 30, [`${TUE} 1`]: 30, [`${TUE} 2`]: 10 });
  });

  it("follows Berlin's clock through the autumn change: 02:00–03:00 happens twice, both in hour 2", () => {
    // Sunday 25 October 2026, 01:00 UTC: 03:00 CEST becomes 02:00 CET. 00:00 → 02:00 UTC is 02:00 CEST → 03:00 CET.
    const cells = activityHeatmap([span("2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z")], "Europe/Berlin", at("2026-11-01T00:00:00Z"));
    expect(filled(cells)).toEqual({ [`${SUN} 2`]: 120 });
  });

  it("follows Berlin's clock through the spring change: there is no 02:00 hour", () => {
    // Sunday 29 March 2026, 01:00 UTC: 02:00 CET becomes 03:00 CEST. 00:00 → 02:00 UTC is 01:00 CET → 04:00 CEST.
    const cells = activityHeatmap([span("2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z")], "Europe/Berlin", at("2026-04-05T00:00:00Z"));
    expect(filled(cells)).toEqual({ [`${SUN} 1`]: 60, [`${SUN} 3`]: 60 });
    // The same two hours a week before the change (CET all along) and in summer (CEST) land one hour apart.
    expect(filled(activityHeatmap([span("2026-03-22T00:00:00Z", "2026-03-22T02:00:00Z")], "Europe/Berlin", at("2026-04-05T00:00:00Z")))).toEqual({ [`${SUN} 1`]: 60, [`${SUN} 2`]: 60 });
    expect(filled(activityHeatmap([span("2026-04-05T00:00:00Z", "2026-04-05T02:00:00Z")], "Europe/Berlin", at("2026-04-06T00:00:00Z")))).toEqual({ [`${SUN} 2`]: 60, [`${SUN} 3`]: 60 });
  });

  it("counts only the last 30 days, open sessions up to now, and overlapping sessions once", () => {
    const now = at("2026-11-30T12:00:00Z"); // a Monday
    const cells = activityHeatmap(
      [
        span("2026-10-31T11:00:00Z", "2026-10-31T13:00:00Z"), // the window starts at 12:00 on 31 October (a Saturday)
        span("2026-10-01T00:00:00Z", "2026-10-01T05:00:00Z"), // entirely before the window
        span("2026-11-30T11:20:00Z", null), // online now: 40 minutes so far
        span("2026-11-30T11:30:00Z", "2026-11-30T11:50:00Z"), // inside the open one: counted once
      ],
      "UTC",
      now,
    );
    expect(filled(cells)).toEqual({ "5 12": 60, [`${MON} 11`]: 40 });
    expect(cells.flat().reduce((a, b) => a + b, 0)).toBe(100);
  });

  it("rejects a zone Intl does not know", () => {
    expect(() => activityHeatmap([], "Mars/Olympus_Mons", new Date())).toThrow(RangeError);
  });
});

describe("renderHeatmap", () => {
  it("draws a PNG of the documented size with or without activity", async () => {
    const cells = activityHeatmap([span("2026-11-02T22:30:00Z", "2026-11-03T01:15:00Z")], "Europe/Berlin", at("2026-11-10T00:00:00Z"));
    for (const input of [cells, activityHeatmap([], "UTC", new Date())]) {
      const png = await renderHeatmap(input, { title: "Bob on Rustopia EU", timeZone: "Europe/Berlin", days: 30 });
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(imageSize(png)).toEqual({ width: HEATMAP_WIDTH, height: HEATMAP_HEIGHT });
      expect(png.subarray(-8, -4).toString("latin1")).toBe("IEND");
    }
  });
});
