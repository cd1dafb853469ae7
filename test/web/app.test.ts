// The sidecar's shared middleware through real HTTP.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { startWebServer } from "../../src/web/server.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

let db: TestDatabase;
let web: Awaited<ReturnType<typeof startWebServer>>;
let base: string;
const logs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const logger = createLogger({ level: "info" }, new Writable({ write: (c, _e, done) => (logs.push(String(c)), done()) }));
  web = await startWebServer({ config: parseConfig({}), prisma: db.prisma, logger, stripe: undefined, notifier: undefined }, 0, "127.0.0.1");
  base = `http://127.0.0.1:${web.port}`;
});
afterAll(async () => {
  await web?.close();
  await db?.dispose();
});

describe("the web sidecar", () => {
  it("answers /healthz (alive) with security headers and a request id", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-powered-by")).toBeNull();
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs.some((l) => l.includes(id!) && l.includes('"status":200'))).toBe(true);
  });

  it("answers an unknown path with a JSON 404", async () => {
    const res = await fetch(`${base}/nope?token=secret-value`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Not found" });
    expect(logs.join("")).not.toContain("secret-value");
  });

  it("refuses oversized JSON bodies without leaking internals", async () => {
    const res = await fetch(`${base}/auth/anything`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ x: "a".repeat(20_000) }) });
    expect(res.status).toBe(413);
    expect(await res.text()).not.toMatch(/at .*\.ts/);
  });

  it("answers the Stripe webhook with 503 when billing is not configured", async () => {
    const res = await fetch(`${base}/stripe/webhook`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(503);
  });

  it("rate-limits login routes per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await fetch(`${base}/auth/link/${"x".repeat(43)}`, { redirect: "manual" })).status);
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses[30]).toBe(429);
    // Health checks are not login routes.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
