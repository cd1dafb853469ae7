// The lane limiter on a virtual clock: routine requests evenly spaced, leaving a reserve of each window to
// alarms; alarms at once while the window has places, and before routine requests whenever places run short;
// first come first served within a lane; aborts leave the queue.
import { describe, expect, it } from "vitest";
import { ALARM_RESERVE_SHARE, LaneLimiter, SAFETY_MS, type Lane } from "../../src/fleet/lanes.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

function limiter(perSecond: number) {
  const timers = new ManualTimers();
  const lanes = new LaneLimiter({ perSecond, now: timers.now, setTimer: (fn, ms) => timers.setTimeout(fn, ms), clearTimer: (t) => timers.clearTimeout(t) });
  const order: string[] = [];
  const at: number[] = [];
  const take = (lane: Lane, name: string, signal?: AbortSignal) =>
    lanes.take(lane, signal).then(() => {
      order.push(name);
      at.push(timers.now());
    });
  return { timers, lanes, order, at, take };
}
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("lane limiter", () => {
  it("lets a request through at once when nothing waits, then spaces the rest evenly", async () => {
    const { timers, lanes, at, take } = limiter(50);
    const all = Array.from({ length: 120 }, (_, i) => take("routine", `r${i}`));
    await flush();
    expect(at).toHaveLength(1);
    for (let ms = 0; ms < 4_000; ms += 5) {
      timers.advance(5);
      await flush();
    }
    await Promise.all(all);
    // No one-second window (at any offset) holds more than 50.
    for (const start of at) expect(at.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(50);
    expect(at[at.length - 1]! - at[0]!).toBeGreaterThanOrEqual(119 * lanes.intervalMs - 1);
    expect(lanes.reserve).toBe(50 * ALARM_RESERVE_SHARE);
    expect(lanes.intervalMs).toBeCloseTo((1000 + SAFETY_MS) / (50 - lanes.reserve));
  });

  it("lets an alarm through at once during a routine flood: routine requests never use the reserve", async () => {
    const { timers, lanes, order, at, take } = limiter(50);
    const flood = Array.from({ length: 200 }, (_, i) => take("routine", `r${i}`));
    const alarms: Promise<void>[] = [];
    const alarmWaits: number[] = [];
    for (let ms = 0; ms < 6_000; ms += 5) {
      if (ms < 4_000 && ms % 250 === 0) {
        const asked = timers.now();
        alarms.push(take("alarm", `a${ms}`).then(() => void alarmWaits.push(timers.now() - asked)));
        await flush();
      }
      timers.advance(5);
      await flush();
    }
    await Promise.all([...flood, ...alarms]);
    expect(alarmWaits).toHaveLength(16);
    expect(alarmWaits.every((wait) => wait === 0)).toBe(true);
    for (const start of at) expect(at.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(50);
    expect(order.filter((name) => name.startsWith("r"))).toHaveLength(200);
    expect(lanes.granted("alarm")).toBe(16);
  });

  it("serves every waiting alarm before any waiting routine request once places run short, in arrival order within a lane", async () => {
    const { timers, order, take } = limiter(10);
    const first = Array.from({ length: 10 }, (_, i) => take("alarm", `x${i}`));
    await flush();
    expect(order).toHaveLength(10); // alarms may use the whole window at once
    const all = [take("routine", "r0"), take("routine", "r1"), take("alarm", "a0"), take("routine", "r2"), take("alarm", "a1")];
    await flush();
    expect(order).toHaveLength(10);
    while (order.length < 15) {
      timers.advance(timers.nextAt()! - timers.now());
      await flush();
    }
    await Promise.all([...first, ...all]);
    expect(order.slice(10)).toEqual(["a0", "a1", "r0", "r1", "r2"]);
  });

  it("lets an alarm through at once while routine requests wait for their spacing", async () => {
    const { order, take } = limiter(10);
    const all = [take("routine", "r0"), take("routine", "r1"), take("alarm", "a0")];
    await flush();
    expect(order).toEqual(["r0", "a0"]);
    void all;
  });

  it("does not bank routine places through a quiet spell: a burst after idling still starts one per interval", async () => {
    const { timers, lanes, at, take } = limiter(10);
    timers.advance(60_000);
    const all = Array.from({ length: 5 }, (_, i) => take("routine", `r${i}`));
    while (at.length < 5) {
      await flush();
      if (at.length < 5) timers.advance(timers.nextAt()! - timers.now());
    }
    await Promise.all(all);
    expect(at.map((t) => t - at[0]!)).toEqual([0, 1, 2, 3, 4].map((i) => i * lanes.intervalMs));
  });

  it("drops an aborted request from the queue without using a token", async () => {
    const { timers, order, take } = limiter(10);
    const controller = new AbortController();
    const first = take("routine", "r0");
    const aborted = take("routine", "gone", controller.signal);
    const next = take("routine", "r1");
    controller.abort(new Error("gone"));
    await expect(aborted).rejects.toThrow("gone");
    timers.advance(timers.nextAt()! - timers.now());
    await Promise.all([first, next]);
    expect(order).toEqual(["r0", "r1"]);
  });
});
