// The lane limiter on a virtual clock: evenly spaced grants within the per-second limit, alarms before
// routine requests whenever tokens run short, first come first served within a lane, aborts leave the queue.
import { describe, expect, it } from "vitest";
import { LaneLimiter, SAFETY_MS, type Lane } from "../../src/fleet/lanes.ts";
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
    for (let ms = 0; ms < 3_000; ms += 5) {
      timers.advance(5);
      await flush();
    }
    await Promise.all(all);
    // No one-second window (at any offset) holds more than 50.
    for (const start of at) expect(at.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(50);
    expect(at[at.length - 1]! - at[0]!).toBeGreaterThanOrEqual(119 * lanes.intervalMs - 1);
    expect(lanes.intervalMs).toBeCloseTo((1000 + SAFETY_MS) / 50);
  });

  it("serves every waiting alarm before any waiting routine request, in arrival order within a lane", async () => {
    const { timers, order, take } = limiter(10);
    const all = [take("routine", "r0"), take("routine", "r1"), take("routine", "r2"), take("alarm", "a0"), take("routine", "r3"), take("alarm", "a1")];
    await flush();
    expect(order).toEqual(["r0"]); // the one token there was
    while (order.length < 6) {
      timers.advance(timers.nextAt()! - timers.now());
      await flush();
    }
    await Promise.all(all);
    expect(order).toEqual(["r0", "a0", "a1", "r1", "r2", "r3"]);
  });

  it("does not bank tokens through a quiet spell: a burst after idling still starts one per interval", async () => {
    const { timers, lanes, at, take } = limiter(10);
    timers.advance(60_000);
    const all = Array.from({ length: 5 }, (_, i) => take("alarm", `a${i}`));
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
    const aborted = take("alarm", "a0", controller.signal);
    const next = take("routine", "r1");
    controller.abort(new Error("gone"));
    await expect(aborted).rejects.toThrow("gone");
    timers.advance(timers.nextAt()! - timers.now());
    await Promise.all([first, next]);
    expect(order).toEqual(["r0", "r1"]);
  });
});
