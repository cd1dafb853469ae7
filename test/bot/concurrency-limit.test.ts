// The limit that keeps a burst of live-message writes from filling the database pool's queue ahead of alarms.
import { describe, expect, it } from "vitest";
import { ConcurrencyLimit } from "../../src/bot/concurrency-limit.ts";

/** A piece of work that runs until `finish` is called. */
function gate() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { finish, done };
}

describe("concurrency limit", () => {
  it("runs at most `limit` pieces of work at once, and the waiting ones in arrival order", async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const runs = gates.map((g, i) => limit.run(async () => (started.push(i), await g.done, i)));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limit.waiting).toBe(3);
    gates[1]!.finish();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.finish();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(limit.waiting).toBe(0);
  });

  it("frees the slot of work that throws", async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limit.run(() => Promise.resolve("next"))).resolves.toBe("next");
  });

  it("refuses a limit below one", () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
  });
});
