// What a live message shows, checked against Discord's limits before any request, and its content hash:
// an upsert whose hash matches the stored one sends nothing.
import { createHash } from "node:crypto";
import type { APIEmbed, RESTPatchAPIChannelMessageJSONBody } from "discord-api-types/v10";
import { z } from "zod";
import { NotificationFamily } from "./families.ts";
import { actionRow, notificationButtons, type NotificationButton } from "./buttons.ts";
import { embedSize, fitEmbed } from "../bot/fit-payload.ts";

const embed = z
  .looseObject({
    title: z.string().max(256).optional(),
    description: z.string().max(4096).optional(),
    fields: z.array(z.looseObject({ name: z.string().min(1).max(256), value: z.string().min(1).max(1024) })).max(25).optional(),
  })
  .refine((e) => embedSize(e as APIEmbed) <= 6_000, "embed over Discord's 6,000 characters")
  .refine((e) => embedSize(e as APIEmbed) > 0 || Object.keys(e).some((k) => k === "image" || k === "thumbnail"), "embed is empty");

export const liveMessageInput = z.object({
  userId: z.string().min(1),
  /** What the message shows, unique per user: `server:<pairedServerId>`, `device:<smartDeviceId>`. */
  key: z.string().min(1).max(100),
  family: z.enum(NotificationFamily),
  embed,
  buttons: notificationButtons.optional(),
});

export interface LiveMessageInput {
  userId: string;
  key: string;
  family: NotificationFamily;
  embed: APIEmbed;
  buttons?: NotificationButton[];
  /** Files sent with the message (an embed shows one as `attachment://<name>`); an edit replaces the old ones. */
  files?: { name: string; data: Buffer }[];
  /** What decides "unchanged" when the files carry the content (a map image): used instead of the body's hash. */
  contentKey?: string;
}

/** The whole message: an edit replaces embeds and buttons (no buttons clears them). */
export function liveMessageBody(input: Pick<LiveMessageInput, "embed" | "buttons">): RESTPatchAPIChannelMessageJSONBody & { embeds: APIEmbed[] } {
  return { embeds: [fitEmbed(input.embed)], components: input.buttons ? [actionRow(input.buttons)] : [], allowed_mentions: { parse: [] } };
}

export function contentHash(body: unknown): string {
  return createHash("sha256").update(stableJson(body)).digest("base64url");
}

/** JSON with sorted keys, so the same content built in another order hashes the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
