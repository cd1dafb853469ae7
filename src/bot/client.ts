// The discord.js client. Intents: Guilds (channels, roles and interactions), and GuildMessages with
// MessageContent for the team-chat bridge (MessageContent is privileged: enable it in the developer portal).
// The REST base URL is configurable for a REST proxy (npm run start:proxy). Discord's global limit is kept by
// the lane limiter (src/fleet/lanes.ts): alarms first when it is the bottleneck.
import { Client, GatewayIntentBits, Options } from "discord.js";
import type { Config } from "../config.ts";
import { gatedMakeRequest } from "../fleet/gated-request.ts";
import { LaneLimiter } from "../fleet/lanes.ts";

/** Discord's own API hosts: the lane header is removed before a request goes there, and kept for a proxy. */
export function isDiscordItself(restUrl: string): boolean {
  const host = new URL(restUrl).hostname.toLowerCase();
  return ["discord.com", "discordapp.com"].some((d) => host === d || host.endsWith(`.${d}`));
}

export function createDiscordClient(
  config: Pick<Config, "DISCORD_REST_URL" | "DISCORD_SHARD_COUNT" | "DISCORD_SHARD_IDS" | "DISCORD_GLOBAL_REQUESTS_PER_SECOND">,
): Client {
  // Under a ShardingManager, discord.js takes the shards from the environment it sets (SHARDS, SHARD_COUNT).
  const managed = process.env["SHARDS"] !== undefined;
  const count = config.DISCORD_SHARD_COUNT;
  const shards =
    managed ? undefined
    : count === "auto" ? ("auto" as const)
    : config.DISCORD_SHARD_IDS.length ? config.DISCORD_SHARD_IDS
    : Array.from({ length: count }, (_, i) => i);
  const limiter = new LaneLimiter({ perSecond: config.DISCORD_GLOBAL_REQUESTS_PER_SECOND });
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    // Every message of every guild now arrives; nothing reads them back from the cache, so none are kept.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    rest: {
      api: config.DISCORD_REST_URL,
      // This process's share: at most the whole limit. Through the proxy, the proxy holds the fleet to it.
      globalRequestsPerSecond: Infinity,
      makeRequest: gatedMakeRequest({ limiterFor: () => limiter, forwardLane: !isDiscordItself(config.DISCORD_REST_URL) }),
    },
    ...(shards !== undefined && { shards }),
    ...(!managed && count !== "auto" && { shardCount: count }),
  });
}
