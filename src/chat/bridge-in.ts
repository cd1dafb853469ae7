// In-game team chat into the owner's team-chat channel, through the notifier (durable, coalesced; the
// formatter escapes markdown and mentions, so a player cannot ping @everyone from the game).
import { z } from "zod";
import type { Prisma } from "../generated/prisma/client.ts";
import { steamIdOf } from "../ingame/team.ts";
import type { Notifier } from "../notify/notifier.ts";
import { withoutControls } from "../bot/control-chars.ts";
import { fitText } from "../bot/fit-text.ts";
import { lineId, lineText } from "./mark.ts";

export const teamMessage = z.object({
  steamId: steamIdOf,
  // Control characters dropped here, where both the live lines and the history are read: U+0000 would fail the
  // post's write to the database, and the others show as nothing in Discord.
  name: z.string().max(200).transform(withoutControls),
  message: z.string().max(2000).transform(withoutControls),
  /** Unix seconds (a uint32 in rustplus.proto). */
  time: z.number().int().min(0).max(2 ** 32 - 1),
});
export type TeamMessage = z.infer<typeof teamMessage>;

export interface BridgedServer {
  id: string;
  userId: string;
  serverName: string;
}

/** Queues the line's post in the server owner's team-chat channel (within `tx` when given). */
export async function postTeamMessage(notifier: Notifier, server: BridgedServer, message: TeamMessage, now: number, tx?: Prisma.TransactionClient): Promise<void> {
  const text = lineText(message.message);
  if (!text) return;
  const at = message.time > 0 ? message.time * 1000 : now;
  // The same line seen again (another process, a replay, the chat history) is one post: who, when and what.
  await notifier.notify({
    userId: server.userId,
    dedupeKey: `team-chat:${server.id}:${lineId(message)}`,
    event: {
      kind: "team-chat",
      serverName: server.serverName.trim() || "Rust server",
      author: fitText(message.name.trim(), 64) || message.steamId,
      text,
      at: new Date(at).toISOString(),
    },
  }, tx);
}
