// What a Discord API error means for a notification. discord.js throws its own (CommonJS) copy of
// DiscordAPIError: import it from there for instanceof to hold. 429s and 5xx never get here as refusals:
// the REST manager retries them, and what still fails after its retries is worth retrying later.
import { DiscordAPIError } from "discord.js";
import type { NotificationFamily, Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { channelColumn } from "./families.ts";

export const UNKNOWN_CHANNEL = 10003;
export const UNKNOWN_MESSAGE = 10008;
export const CANNOT_DM_USER = 50007;
/** Errors that retrying cannot fix until someone repairs the channel with /setup. */
export const CHANNEL_UNUSABLE: ReadonlySet<number> = new Set([UNKNOWN_CHANNEL, 50001, 50013]);

export function discordCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === "number" ? error.code : undefined;
}

/** Discord answered and said no (4xx other than 429): sending the same request again cannot help. */
export function isRefusal(error: unknown): error is DiscordAPIError {
  return error instanceof DiscordAPIError && error.status >= 400 && error.status < 500 && error.status !== 429;
}

export function describeError(error: unknown): string {
  const status = (error as { status?: unknown } | undefined)?.status; // @discordjs/rest's HTTPError for a 5xx
  const text =
    error instanceof DiscordAPIError ? `${error.code}: ${error.message}`
    : typeof status === "number" ? `${status}: ${(error as Error).message}`
    : String((error as Error | undefined)?.message ?? error);
  return text.slice(0, 500);
}

/**
 * Forgets a deleted channel so /setup recreates it; only if nobody has repaired it meanwhile. Channel ids
 * are unique across Discord, so the integration holding it is found by the id.
 */
export async function forgetChannel(db: PrismaClient | Prisma.TransactionClient, family: NotificationFamily, channelId: string): Promise<void> {
  await db.discordIntegration.updateMany({ where: { [channelColumn(family)]: channelId }, data: { [channelColumn(family)]: null } });
}
