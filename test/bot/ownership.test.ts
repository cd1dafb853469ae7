// With several processes, each one keeps the Rust+ connections and push listeners of its own shards' users.
import { ShardClientUtil } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardOwnership } from "../../src/bot/ownership.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { createUser } from "../helpers/fixtures.ts";
import { routeTo } from "../helpers/bot.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

/** A guild id that lands on the given shard of 2. */
function guildOnShard(shard: number): string {
  for (let i = 1n; ; i++) {
    const id = String(i << 22n);
    if (ShardClientUtil.shardIdForGuildId(id, 2) === shard) return id;
  }
}

async function userWithGuild(guildId: string | null) {
  const user = await createUser(db.prisma);
  if (guildId) await routeTo(db.prisma, user.id, { guildId, guildName: "Base" });
  return user.id;
}

describe("shard ownership", () => {
  it("gives a user to the process running their guild's shard, and users without /setup to shard 0", async () => {
    const onZero = await userWithGuild(guildOnShard(0));
    const onOne = await userWithGuild(guildOnShard(1));
    const noSetup = await userWithGuild(null);
    const first = shardOwnership(db.prisma, [0], 2);
    const second = shardOwnership(db.prisma, [1], 2);
    expect([await first(onZero), await first(onOne), await first(noSetup)]).toEqual([true, false, true]);
    expect([await second(onZero), await second(onOne), await second(noSetup)]).toEqual([false, true, false]);
    const all = shardOwnership(db.prisma, [0, 1], 2);
    expect([await all(onZero), await all(onOne), await all(noSetup)]).toEqual([true, true, true]);
  });
});
