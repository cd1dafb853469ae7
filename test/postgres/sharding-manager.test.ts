// npm run start:sharded: discord.js's ShardingManager with an explicit total, shard processes on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { createEmptyDatabase, type EmptyDatabase } from "../helpers/database.ts";
import { runToEnd, spawnTs } from "../helpers/spawn.ts";

let fake: FakeDiscord;
let database: EmptyDatabase;

beforeAll(async () => {
  fake = await FakeDiscord.start({ shardCount: 2 });
  database = await createEmptyDatabase();
});
afterAll(async () => {
  await fake?.close();
  await database?.dispose();
});

describe("start:sharded", () => {
  it("runs one process per shard; each answers its own guilds", async () => {
    if (database.options.kind !== "postgres") throw new Error("run with TEST_DATABASE=postgres");
    const guilds = [fake.createGuild({ name: "A", shard: 0 }).id, fake.createGuild({ name: "B", shard: 1 }).id];
    const manager = spawnTs("src/bot/sharded.ts", [], {
      env: {
        DISCORD_TOKEN: fake.token,
        DISCORD_REST_URL: fake.restUrl,
        DISCORD_SHARD_COUNT: "2",
        DISCORD_SHARD_SPAWN_DELAY_MS: "0",
        DATABASE_URL: database.options.url,
        CREDS_ENCRYPTION_KEY: `1:${Buffer.alloc(32, 7).toString("base64")}`,
      },
    });
    const finished = runToEnd(manager);
    await Promise.all([fake.waitForReady(0), fake.waitForReady(1)]);
    const answers = await Promise.all(guilds.map(async (guildId) => (await (await fake.sendCommand({ guildId, name: "ping" })).reply()).content));
    expect(answers[0]).toMatch(/^Pong — shard 0/);
    expect(answers[1]).toMatch(/^Pong — shard 1/);
    manager.kill("SIGTERM");
    expect((await finished).code).toBe(0);
  });
});
