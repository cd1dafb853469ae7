// npm run start:web: the sidecar on its own, as a fleet runs it behind a load balancer.
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runToEnd, spawnTs, waitForLine } from "../helpers/spawn.ts";

// Spawns a process (tsx, migrations): well clear of the time it takes on a busy 2-core machine.
const SPAWN_TIMEOUT_MS = 180_000;

const dir = await mkdtemp(join(tmpdir(), "start-web-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("npm run start:web", () => {
  it("serves /healthz on its own and stops cleanly on SIGTERM", async () => {
    const child = spawnTs("src/web/main.ts", [], { cwd: dir, env: { DATA_DIR: join(dir, "data") } });
    const finished = runToEnd(child);
    const out = await waitForLine(child, /web sidecar listening/);
    const port = /"port":(\d+)/.exec(out)?.[1];
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await res.json()).toEqual({ status: "ok" });
    child.kill("SIGTERM");
    expect((await finished).code).toBe(0);
  });

  it("SIGTERM with a slow client connected: the process exits and closes the database", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const child = spawnTs("src/web/main.ts", [], { cwd: dir, env: { DATA_DIR: join(dir, "data-slow") } });
    const finished = runToEnd(child);
    const out = await waitForLine(child, /web sidecar listening/);
    const port = Number(/"port":(\d+)/.exec(out)?.[1]);
    // A webhook POST whose body never comes: once the server answers 100 Continue, the request is being
    // handled, and Node's defaults would keep it (and the process) open for 300 s.
    const slow = connect(port, "127.0.0.1");
    slow.on("error", () => {});
    slow.write("POST /stripe/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 50000\r\nExpect: 100-continue\r\n\r\n");
    const cut = once(slow, "close");
    await new Promise<void>((resolve) => {
      let seen = "";
      slow.on("data", (chunk: Buffer) => (seen += chunk.toString()).includes("100 Continue") && resolve());
    });
    child.kill("SIGTERM");
    const run = await finished;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/"component":"database".*"msg":"closed database"/);
    await cut;
  });
});
