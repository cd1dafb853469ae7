// Every teamMessage broadcast of a server: the bot's own echoes are told apart at once (before anything else
// can interleave) and only move the chat mark; the rest is posted to Discord once (the team chat log keeps it in
// order with the history read on connect) and, when it starts with the server's prefix, answered.
import { teamMessage } from "../chat/bridge-in.ts";
import type { TeamChatLog } from "../chat/team-chat-log.ts";
import type { MonumentAt } from "../events/monuments.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { CommandRunner } from "./command-runner.ts";
import type { RecentlySent, SeenLines } from "./recent-sent.ts";
import { fitText } from "../bot/fit-text.ts";

export interface TeamMessageDeps {
  prisma: PrismaClient;
  rust: ConnectionManager;
  runner: CommandRunner;
  sent: RecentlySent;
  seen: SeenLines;
  chatLog: TeamChatLog;
  logger: Logger;
  now: () => number;
  /** A server's monuments as last read from its map (none while unknown). */
  monuments: (serverId: string) => readonly MonumentAt[];
}

/** Returns the work started for this message, or null when there is none (a bad message, no connection). */
export function onTeamMessage(deps: TeamMessageDeps, serverId: string, raw: unknown): Promise<void> | null {
  const parsed = teamMessage.safeParse(raw);
  if (!parsed.success) {
    deps.logger.warn({ serverId, issue: parsed.error.issues[0]?.message }, "ignored a team message the server sent that is not valid");
    return null;
  }
  const message = parsed.data;
  const target = deps.rust.get(serverId)?.target;
  if (!target) return null;
  const address = `${target.ip}:${target.port}`;
  // Only the connection that spoke drops its echo: for another teammate's pairing it is a line like any other.
  if (message.steamId === target.playerId && deps.sent.isEcho(address, message.steamId, message.message, serverId)) {
    // Not posted, but passed: the history read after a reconnect must not take it for a line said while away.
    return deps.chatLog.live(serverId, async () => void (await deps.chatLog.bridge(serverId, message, "pass")));
  }
  // Each owner's Discord gets the line; only the first connection in this process to hear it answers a command.
  const answer = deps.seen.first(`${address}/${message.steamId}/${message.time}/${message.message}`);
  return deps.chatLog.live(serverId, () => handle(deps, serverId, message, answer));
}

async function handle(deps: TeamMessageDeps, serverId: string, message: ReturnType<typeof teamMessage.parse>, answer: boolean): Promise<void> {
  // Already posted when the history read on connect held it too; a live command is answered all the same.
  await deps.chatLog.bridge(serverId, message, "post");
  if (!answer) return;
  const row = await deps.prisma.pairedServer.findUnique({ where: { id: serverId } });
  if (!row) return;
  const server = { id: row.id, userId: row.userId, serverName: row.serverName || `${row.ip}:${row.port}` };
  const mapSize = deps.rust.status(serverId)?.snapshot?.info.mapSize ?? 0;
  await deps.runner.handle(
    { ...server, playerSteamId: row.playerSteamId, prefix: row.commandPrefix, mapSize, monuments: deps.monuments(serverId) },
    { steamId: message.steamId, name: fitText(message.name.trim(), 32) || message.steamId },
    message.message.trim(),
  );
}
