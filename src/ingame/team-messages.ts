// Every teamMessage broadcast of a server: the bot's own echoes are dropped at once (before anything else
// can interleave), the rest is posted to Discord and, when it starts with the server's prefix, answered.
import { postTeamMessage, teamMessage } from "../chat/bridge-in.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { CommandRunner } from "./command-runner.ts";
import type { RecentlySent } from "./recent-sent.ts";

export interface TeamMessageDeps {
  prisma: PrismaClient;
  rust: ConnectionManager;
  notifier: Notifier;
  runner: CommandRunner;
  sent: RecentlySent;
  logger: Logger;
  now: () => number;
}

/** Returns the work started for this message, or null when there is none (an echo, a bad message). */
export function onTeamMessage(deps: TeamMessageDeps, serverId: string, raw: unknown): Promise<void> | null {
  const parsed = teamMessage.safeParse(raw);
  if (!parsed.success) {
    deps.logger.warn({ serverId, issue: parsed.error.issues[0]?.message }, "ignored a team message the server sent that is not valid");
    return null;
  }
  const message = parsed.data;
  const botPlayer = deps.rust.get(serverId)?.target.playerId;
  if (message.steamId === botPlayer && deps.sent.isEcho(serverId, message.message)) return null;
  return handle(deps, serverId, message);
}

async function handle(deps: TeamMessageDeps, serverId: string, message: ReturnType<typeof teamMessage.parse>): Promise<void> {
  const row = await deps.prisma.pairedServer.findUnique({ where: { id: serverId } });
  if (!row) return;
  const server = { id: row.id, userId: row.userId, serverName: row.serverName || `${row.ip}:${row.port}` };
  await postTeamMessage(deps.notifier, server, message, deps.now());
  const mapSize = deps.rust.status(serverId)?.snapshot?.info.mapSize ?? 0;
  await deps.runner.handle(
    { ...server, playerSteamId: row.playerSteamId, prefix: row.commandPrefix, mapSize },
    { steamId: message.steamId, name: message.name.trim().slice(0, 32) || message.steamId },
    message.message.trim(),
  );
}
