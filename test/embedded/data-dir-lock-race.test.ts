// Two processes that find the same stale lock at the same moment: exactly one takes it, and the other's
// release (or exit) never removes the winner's lock.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { LOCK_FILE } from "../../src/db/data-dir-lock.ts";
import { spawnTs } from "../helpers/spawn.ts";

const SPAWN_TIMEOUT_MS = 180_000;
const ROUNDS = 50;

const root = await mkdtemp(join(tmpdir(), "lock-race-"));
afterAll(() => rm(root, { recursive: true, force: true }));

/** A racer whose stdout lines are read one at a time. */
function racer(): { child: ChildProcessWithoutNullStreams; next: () => Promise<string>; send: (line: string) => void } {
  const child = spawnTs("test/helpers/lock-racer.ts", []);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    next: async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error("racer exited");
      return value;
    },
    send: (line) => void child.stdin.write(`${line}\n`),
  };
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await once(child, "exit");
  return child.pid!;
}

describe("taking over a stale data-directory lock", () => {
  it(`is won by exactly one of two racing processes, ${ROUNDS} rounds in a row`, { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const racers = [racer(), racer()];
    const stale = await deadPid();
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const dir = join(root, `round-${round}`);
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir);
        // What a crashed bot leaves behind.
        await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: stale, host: hostname(), since: "2026-01-01T00:00:00.000Z" }));
        const at = Date.now() + 30;
        for (const r of racers) r.send(`take ${dir} ${at}`);
        const results = await Promise.all(racers.map((r) => r.next()));
        expect(results.filter((r) => r === "won"), `round ${round}: ${results.join(", ")}`).toHaveLength(1);
        expect(results.filter((r) => r !== "won")).toEqual(["lost DataDirLockedError"]);
        const winner = racers[results.indexOf("won")]!;
        const loser = racers[results.indexOf("won") === 0 ? 1 : 0]!;
        const owner = () => readFile(join(dir, LOCK_FILE), "utf8").then((t) => (JSON.parse(t) as { pid: number }).pid);
        expect(await owner()).toBe(winner.child.pid);
        // The loser lets go of whatever it holds: the winner's lock stays.
        loser.send("release");
        expect(await loser.next()).toBe("released");
        expect(await owner()).toBe(winner.child.pid);
        winner.send("release");
        expect(await winner.next()).toBe("released");
      }
    } finally {
      for (const r of racers) r.child.stdin.end();
      await Promise.all(racers.map((r) => (r.child.exitCode === null ? once(r.child, "exit") : undefined)));
    }
  });
});
