// A fleet split by configuration: two `npm start` processes, each owning one of two shards.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { runToEnd, spawnTs } from "../helpers/spawn.ts";

// Spawns processes (tsx, migrations): well clear of the time it takes on a busy 2-core machine.
const SPAWN_TIMEOUT_MS = 180_000;

let fake: FakeDiscord;
const dir = await mkdtemp(join(tmpdir(), "shards-"));
const children: ReturnType<typeof spawnTs>[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start({ shardCount: 2 });
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("sharding across processes", () => {
  it("answers each guild's interaction from the process that owns its shard", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const onShard0 = fake.createGuild({ name: "Zero", shard: 0 }).id;
    const onShard1 = fake.createGuild({ name: "One", shard: 1 }).id;
    for (const shard of [0, 1]) {
      children.push(
        spawnTs("src/main.ts", [], {
          cwd: dir,
          env: {
            DISCORD_TOKEN: fake.token,
            DISCORD_REST_URL: fake.restUrl,
            DISCORD_SHARD_COUNT: "2",
            DISCORD_SHARD_IDS: String(shard),
            DATA_DIR: join(dir, `data-${shard}`),
          },
        }),
      );
    }
    await Promise.all([fake.waitForReady(0), fake.waitForReady(1)]);
    expect(fake.identifies.map((i) => i.shard).sort()).toEqual([[0, 2], [1, 2]]);

    const zero = await (await fake.sendCommand({ guildId: onShard0, name: "ping" })).reply();
    const one = await (await fake.sendCommand({ guildId: onShard1, name: "ping" })).reply();
    expect(zero.content).toMatch(/^Pong — shard 0/);
    expect(one.content).toMatch(/^Pong — shard 1/);

    for (const child of children.splice(0)) {
      child.kill("SIGTERM");
      expect((await runToEnd(child)).code).toBe(0);
    }
  });
});
