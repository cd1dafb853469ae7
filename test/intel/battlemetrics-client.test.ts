// The BattleMetrics client through the real fetch against the fake: paging, 429 pausing the whole queue until
// Retry-After, the process-wide limit, 401 and 403 told apart, 5xx retries, slow and malformed answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BattleMetricsClient } from "../../src/intel/battlemetrics/client.ts";
import type { BattleMetricsError } from "../../src/intel/battlemetrics/errors.ts";
import { RequestLimiter, TOKEN_LIMITS } from "../../src/intel/battlemetrics/limiter.ts";
import { retryAfterMs } from "../../src/intel/battlemetrics/retry-after.ts";
import { serverList } from "../../src/intel/battlemetrics/schemas.ts";
import { FakeBattleMetrics } from "../fakes/battlemetrics/index.ts";
import { ManualTimers, turn } from "../helpers/manual-timers.ts";

let fake: FakeBattleMetrics;

beforeAll(async () => {
  fake = await FakeBattleMetrics.start();
  for (let i = 1; i <= 25; i++) fake.addServer({ id: String(1000 + i), name: `Rusty ${i}`, ip: "203.0.113.7", port: 28000 + i, portQuery: 29000 + i });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.release();
  fake.refuse = undefined;
  fake.calls.length = 0;
});

/** Lets I/O and promise jobs run until `cond` holds (a bound on turns, not on time). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200_000; i++) {
    if (cond()) return;
    await turn();
  }
  throw new Error(`never happened: ${what}`);
}

function setup(options: { token?: string; timeoutMs?: number; limiter?: RequestLimiter; refused?: BattleMetricsError[] } = {}) {
  const timers = new ManualTimers();
  const limiter = options.limiter ?? new RequestLimiter(timers);
  const client = new BattleMetricsClient({
    baseUrl: fake.url,
    token: options.token ?? fake.token,
    limiter,
    timers,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    onRefused: async (e) => void options.refused?.push(e),
  });
  return { timers, limiter, client };
}

const list = { "filter[search]": "203.0.113.7", "filter[game]": "rust", "page[size]": "10" };
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as BattleMetricsError);

describe("paging", () => {
  it("follows links.next to the end, sending the token on each page", async () => {
    const { client } = setup();
    const pages = await client.pages("servers", list, serverList, "user");
    expect(pages.map((p) => p.data.length)).toEqual([10, 10, 5]);
    expect(new Set(pages.flatMap((p) => p.data.map((s) => s.id))).size).toBe(25);
    expect(fake.calls.map((c) => c.query.get("page[key]"))).toEqual([null, "10", "20"]);
    expect(fake.calls.every((c) => c.authorization === `Bearer ${fake.token}`)).toBe(true);
  });

  it("stops at the page bound", async () => {
    const { client } = setup();
    const pages = await client.pages("servers", list, serverList, "user", 2);
    expect(pages.flatMap((p) => p.data)).toHaveLength(20);
    expect(fake.calls).toHaveLength(2);
  });
});

describe("429", () => {
  it("pauses the whole queue until Retry-After (seconds), then sends what waited", async () => {
    const { client, limiter, timers } = setup();
    fake.failNext(429, 1, { retryAfter: "30" });
    const first = client.get("servers", list, serverList, "user");
    await until(() => fake.calls.length === 1 && limiter.queued() === 1, "the 429 and the request waiting again");
    const second = client.get("servers", list, serverList, "user");
    await until(() => limiter.queued() === 2, "a second caller queued behind the pause");
    // A poll does not wait: it is told there is no budget, and nothing is sent.
    expect(await failure(client.get("servers", list, serverList, "background"))).toMatchObject({ kind: "budget" });
    timers.advance(29_999);
    for (let i = 0; i < 50; i++) await turn();
    expect(fake.calls).toHaveLength(1);
    timers.advance(1);
    expect((await first).data).toHaveLength(10);
    expect((await second).data).toHaveLength(10);
    expect(fake.calls.map((c) => c.status)).toEqual([429, 200, 200]);
  });

  it("reads an HTTP-date Retry-After", async () => {
    const { client, limiter, timers } = setup();
    fake.failNext(429, 1, { retryAfter: new Date(timers.now() + 120_000).toUTCString() });
    const done = client.get("servers", list, serverList, "user");
    await until(() => limiter.queued() === 1, "waiting out the 429");
    expect(limiter.pausedUntil()).toBe(timers.now() + 120_000);
    timers.advance(120_000);
    await done;
    expect(fake.calls).toHaveLength(2);
  });

  it("fails a command at once rather than wait out a long pause", async () => {
    const { client } = setup();
    fake.failNext(429, 1, { retryAfter: "600" });
    expect(await failure(client.get("servers", list, serverList, "user"))).toMatchObject({ kind: "rate-limited" });
    expect(await failure(client.get("servers", list, serverList, "user"))).toMatchObject({ kind: "rate-limited" });
    expect(fake.calls).toHaveLength(1);
  });

  it("parses Retry-After as seconds or a date, with a minute when absent or unreadable", () => {
    const now = Date.UTC(2026, 6, 1);
    expect(retryAfterMs("7", now)).toBe(7_000);
    expect(retryAfterMs(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(retryAfterMs(null, now)).toBe(60_000);
    expect(retryAfterMs("soon", now)).toBe(60_000);
    expect(retryAfterMs("99999999", now)).toBe(3_600_000);
  });
});

describe("the process-wide limit", () => {
  it("holds every caller sharing the limiter to 40 a second", async () => {
    const timers = new ManualTimers();
    const limiter = new RequestLimiter(timers);
    const a = setup({ limiter }).client;
    const b = setup({ limiter }).client;
    const all = Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).get("servers", list, serverList, "user"));
    await until(() => fake.calls.length === 40 && limiter.queued() === 60, "the first second's 40");
    for (let i = 0; i < 50; i++) await turn();
    expect(fake.calls).toHaveLength(40);
    timers.advance(1_000);
    await until(() => fake.calls.length === 80, "the next second's 40");
    for (let i = 0; i < 50; i++) await turn();
    expect(fake.calls).toHaveLength(80);
    timers.advance(1_000);
    await Promise.all(all);
    expect(fake.calls).toHaveLength(100);
  });

  it("lets no more than 270 through in any minute", async () => {
    const timers = new ManualTimers();
    const limiter = new RequestLimiter(timers, TOKEN_LIMITS);
    let granted = 0;
    for (let i = 0; i < 400; i++) void limiter.acquire().then(() => granted++);
    await turn();
    for (let s = 1; s < 60; s++) {
      timers.advance(1_000);
      await turn();
    }
    expect(granted).toBe(270);
    timers.advance(1_000); // the first second's 40 leave the window
    await turn();
    expect(granted).toBe(310);
  });
});

describe("refusals", () => {
  it("tells 401 (the token) from 403 (no subscription), and calls back for both", async () => {
    const refused: BattleMetricsError[] = [];
    const wrong = setup({ token: "not-the-token", refused }).client;
    const e401 = await failure(wrong.get("servers", list, serverList, "user"));
    expect(e401).toMatchObject({ kind: "unauthorized", status: 401 });
    expect(e401?.message).toContain("BATTLEMETRICS_TOKEN");

    fake.refuse = { status: 403 };
    const e403 = await failure(setup({ refused }).client.get("servers", list, serverList, "user"));
    expect(e403).toMatchObject({ kind: "forbidden", status: 403 });
    expect(e403?.message).toContain("subscription");
    expect(refused.map((e) => e.kind)).toEqual(["unauthorized", "forbidden"]);
  });

  it("does not treat a 403 on one resource (no permission) as a refused token", async () => {
    const refused: BattleMetricsError[] = [];
    fake.refuse = { status: 403, body: JSON.stringify({ errors: [{ status: "403", title: "Forbidden", detail: "You do not have permission to view identifiers." }] }) };
    expect(await failure(setup({ refused }).client.get("servers", list, serverList, "user"))).toMatchObject({ kind: "forbidden" });
    expect(refused).toEqual([]);
  });
});

describe("server errors, slow and malformed answers", () => {
  it("retries a 5xx with backoff (1 s, then 2 s), and gives up after the bound", async () => {
    const { client, timers } = setup();
    fake.failNext(503, 2);
    const done = client.get("servers", list, serverList, "user");
    await until(() => fake.calls.length === 1 && timers.nextAt() !== undefined, "the first 503");
    timers.advance(1_000);
    await until(() => fake.calls.length === 2 && timers.nextAt() !== undefined, "the second 503");
    timers.advance(2_000);
    expect((await done).data).toHaveLength(10);

    fake.calls.length = 0;
    fake.failNext(500, 3);
    const fails = failure(client.get("servers", list, serverList, "user"));
    await until(() => fake.calls.length === 1 && timers.nextAt() !== undefined, "first 500");
    timers.advance(1_000);
    await until(() => fake.calls.length === 2 && timers.nextAt() !== undefined, "second 500");
    timers.advance(2_000);
    expect(await fails).toMatchObject({ kind: "server", status: 500 });
    expect(fake.calls).toHaveLength(3);
  });

  it("gives up on an answer that does not come (timeout), without retrying it", async () => {
    const { client } = setup({ timeoutMs: 150 });
    fake.holdNext(1);
    expect(await failure(client.get("servers", list, serverList, "user"))).toMatchObject({ kind: "timeout" });
    expect(fake.calls).toHaveLength(1);
  });

  it("turns an answer that is not JSON, or not the JSON:API shape, into a malformed error", async () => {
    const { client } = setup();
    fake.malformedNext("not-json");
    expect(await failure(client.get("servers", list, serverList, "user"))).toMatchObject({ kind: "malformed" });
    fake.malformedNext("wrong-shape");
    expect(await failure(client.get("servers", list, serverList, "user"))).toMatchObject({ kind: "malformed" });
  });
});
