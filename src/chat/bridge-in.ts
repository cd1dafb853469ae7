// In-game team chat into the owner's team-chat channel, through the notifier (durable, coalesced; the
// formatter escapes markdown and mentions, so a player cannot ping @everyone from the game).
import { createHash } from "node:crypto";
import { z } from "zod";
import { steamIdOf } from "../ingame/team.ts";
import type { Notifier } from "../notify/notifier.ts";
import { fitText } from "../bot/fit-text.ts";

export const teamMessage = z.object({
  steamId: steamIdOf,
  name: z.string().max(200),
  message: z.string().max(2000),
  /** Unix seconds. */
  time: z.number().int().min(0),
});
export type TeamMessage = z.infer<typeof teamMessage>;

export interface BridgedServer {
  id: string;
  userId: string;
  serverName: string;
}

export async function postTeamMessage(notifier: Notifier, server: BridgedServer, message: TeamMessage, now: number): Promise<void> {
  const text = fitText(message.message.trim(), 512);
  if (!text) return;
  const at = message.time > 0 ? message.time * 1000 : now;
  // The same line seen again (another process, a replay) is one post: who, when and what make it unique.
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 16);
  await notifier.notify({
    userId: server.userId,
    dedupeKey: `team-chat:${server.id}:${message.steamId}:${message.time}:${digest}`,
    event: {
      kind: "team-chat",
      serverName: server.serverName.trim() || "Rust server",
      author: fitText(message.name.trim(), 64) || message.steamId,
      text,
      at: new Date(at).toISOString(),
    },
  });
}
