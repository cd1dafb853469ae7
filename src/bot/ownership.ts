// Which process keeps a user's Rust+ connections: the one running the shard of the guild their notifications
// go to (User.notificationGuildId: chosen, or defaulted to; users without one belong to shard 0). With one process holding every shard, that is always it.
import { ShardClientUtil } from "discord.js";
import type { PrismaClient } from "../generated/prisma/client.ts";

export function shardOwnership(prisma: PrismaClient, myShards: readonly number[], shardCount: number): (userId: string) => Promise<boolean> {
  const mine = new Set(myShards);
  if (shardCount <= 1 || mine.size === shardCount) return () => Promise.resolve(true);
  return async (userId) => {
    const guildId = (await prisma.user.findUnique({ where: { id: userId }, select: { notificationGuildId: true } }))?.notificationGuildId;
    const shard = guildId ? ShardClientUtil.shardIdForGuildId(guildId, shardCount) : 0;
    return mine.has(shard);
  };
}
