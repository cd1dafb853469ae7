// Which process keeps a user's Rust+ connections: the one running the shard of the guild where the user ran
// /setup (users without /setup belong to shard 0). With one process holding every shard, that is always it.
import { ShardClientUtil } from "discord.js";
import type { PrismaClient } from "../generated/prisma/client.ts";

export function shardOwnership(prisma: PrismaClient, myShards: readonly number[], shardCount: number): (userId: string) => Promise<boolean> {
  const mine = new Set(myShards);
  if (shardCount <= 1 || mine.size === shardCount) return () => Promise.resolve(true);
  return async (userId) => {
    const integration = await prisma.discordIntegration.findUnique({ where: { userId }, select: { guildId: true } });
    const shard = integration ? ShardClientUtil.shardIdForGuildId(integration.guildId, shardCount) : 0;
    return mine.has(shard);
  };
}
