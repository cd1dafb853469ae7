// What members write in the team-chat channel goes into the game's team chat of the owner's connected
// servers, as "Name: text" in messages of at most 128 characters. Bots (the bridge's own posts among them)
// and webhooks are not forwarded, so nothing bounces back and forth.
import { escapeMarkdown, type Message } from "discord.js";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { oneLine, splitForChat } from "../ingame/chat-text.ts";
import type { TeamChatSender } from "../ingame/team-chat-sender.ts";
import type { Logger } from "../logger.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { RustPlusError, RustPlusUnavailable } from "../rustplus/rust-errors.ts";
import type { TeamChatChannels } from "./team-chat-channels.ts";
import { fitText } from "../bot/fit-text.ts";

/** A long Discord message costs 2 tokens per team message: this many at most. */
export const MAX_PARTS = 4;
const NAME_MAX = 24;

export interface BridgeOutDeps {
  prisma: PrismaClient;
  channels: TeamChatChannels;
  rust: ConnectionManager;
  sender: TeamChatSender;
  logger: Logger;
}

/** The message as one line of plain text for the game: mentions by name, custom emoji as :name:. */
export function gameText(message: Pick<Message, "cleanContent" | "attachments">): string {
  const text = oneLine(message.cleanContent.replace(/<a?:(\w{1,32}):\d{17,20}>/g, ":$1:"));
  return message.attachments.size ? `${text} [attachment]`.trim() : text;
}

export async function forwardToGame(deps: BridgeOutDeps, message: Message): Promise<void> {
  if (!message.inGuild() || message.author.bot || message.webhookId || message.system) return;
  const owners = await deps.channels.owners(message.guildId, message.channelId);
  if (!owners.length) return;
  const text = gameText(message);
  if (!text) return;
  const name = fitText(oneLine(message.member?.displayName ?? message.author.displayName), NAME_MAX) || "Discord";
  const { messages, truncated } = splitForChat(text, { prefix: `${name}: `, maxMessages: MAX_PARTS });

  const servers = await deps.prisma.pairedServer.findMany({
    where: { userId: { in: owners }, live: true },
    select: { id: true, serverName: true },
  });
  const connected = servers.filter((s) => deps.rust.status(s.id)?.state.kind === "connected");
  const notes: string[] = [];
  if (!connected.length) notes.push("No game server is connected right now: this did not reach the game.");
  for (const server of connected) {
    const label = escapeMarkdown(server.serverName || "the server");
    try {
      await deps.sender.send(server.id, messages, "user");
    } catch (err) {
      if (err instanceof RustPlusError && err.code === "message_not_sent") notes.push(`Not sent to ${label}: the bot's player is not in a team there.`);
      else if (err instanceof RustPlusError || err instanceof RustPlusUnavailable) notes.push(`Not sent to ${label}: the server did not take it; try again.`);
      else {
        deps.logger.error({ err, serverId: server.id }, "forwarding a Discord message to the game failed");
        notes.push(`Not sent to ${label}: something went wrong (logged).`);
      }
    }
  }
  if (truncated && connected.length) notes.push(`Only the first ${MAX_PARTS * 128} characters or so reached the game.`);
  if (notes.length) await message.reply({ content: notes.join("\n"), allowedMentions: { parse: [], repliedUser: false } });
}
