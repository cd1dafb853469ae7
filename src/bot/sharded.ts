// `npm run start:sharded`: discord.js's ShardingManager runs each shard in its own process (src/main.ts).
// The shard total is explicit (never asked of Discord) and DISCORD_SHARD_IDS picks this machine's share of
// a fleet. Shard processes share state through PostgreSQL, so DATABASE_URL is required.
import { fileURLToPath } from "node:url";
import { ShardingManager } from "discord.js";
import { loadConfig } from "../config.ts";
import { exitWithProblems, runMain } from "../fatal.ts";
import { createLogger } from "../logger.ts";

await runMain(async () => {
  const config = await loadConfig();
  const count = config.DISCORD_SHARD_COUNT;
  const problems = [
    ...(config.DISCORD_TOKEN ? [] : ["DISCORD_TOKEN is not set (see .env.example)."]),
    ...(count === "auto" ? ["start:sharded needs DISCORD_SHARD_COUNT: the total number of shards across every machine."] : []),
    ...(config.DATABASE_URL ? [] : ["start:sharded runs one process per shard and they share PostgreSQL: set DATABASE_URL (the embedded database serves one process)."]),
  ];
  if (problems.length || count === "auto" || !config.DISCORD_TOKEN) exitWithProblems(problems);

  const logger = createLogger({ level: config.LOG_LEVEL });
  const manager = new ShardingManager(fileURLToPath(new URL("../main.ts", import.meta.url)), {
    token: config.DISCORD_TOKEN,
    totalShards: count,
    shardList: config.DISCORD_SHARD_IDS.length ? config.DISCORD_SHARD_IDS : "auto",
    mode: "process",
    respawn: true,
    execArgv: ["--import", import.meta.resolve("tsx")],
  });
  manager.on("shardCreate", (shard) => {
    logger.info({ shard: shard.id }, "shard process started");
    shard.on("death", (child) => logger.warn({ shard: shard.id, exitCode: "exitCode" in child ? child.exitCode : null }, "shard process exited"));
  });
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "stopping shard processes");
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.process?.kill(signal);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await manager.spawn({ amount: count, delay: config.DISCORD_SHARD_SPAWN_DELAY_MS, timeout: -1 });
});
