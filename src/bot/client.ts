// The discord.js client. Intents: Guilds (channels, roles and interactions), and GuildMessages with
// MessageContent for the team-chat bridge (MessageContent is privileged: enable it in the developer portal).
// The REST base URL is configurable for a REST proxy.
import { Client, GatewayIntentBits, Options } from "discord.js";
import type { Config } from "../config.ts";

export function createDiscordClient(config: Pick<Config, "DISCORD_REST_URL" | "DISCORD_SHARD_COUNT" | "DISCORD_SHARD_IDS">): Client {
  // Under a ShardingManager, discord.js takes the shards from the environment it sets (SHARDS, SHARD_COUNT).
  const managed = process.env["SHARDS"] !== undefined;
  const count = config.DISCORD_SHARD_COUNT;
  const shards =
    managed ? undefined
    : count === "auto" ? ("auto" as const)
    : config.DISCORD_SHARD_IDS.length ? config.DISCORD_SHARD_IDS
    : Array.from({ length: count }, (_, i) => i);
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    // Every message of every guild now arrives; nothing reads them back from the cache, so none are kept.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    rest: { api: config.DISCORD_REST_URL },
    ...(shards !== undefined && { shards }),
    ...(!managed && count !== "auto" && { shardCount: count }),
  });
}
