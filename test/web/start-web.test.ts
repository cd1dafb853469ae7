// npm run start:web: the sidecar on its own, as a fleet runs it behind a load balancer.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runToEnd, spawnTs, waitForLine } from "../helpers/spawn.ts";

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
});
