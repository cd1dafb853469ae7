// Who a /link URL is for, as Discord showed them when they ran /link: stored in the link token's payload so
// the confirm page can name the account without a call to Discord (none to fail, none to rate-limit).
import { z } from "zod";

/** Where Discord serves avatars (https://discord.com/developers/docs/reference#image-formatting). */
export const DISCORD_CDN = "https://cdn.discordapp.com";

export const LinkProfile = z.object({
  username: z.string().min(1).max(32),
  globalName: z.string().min(1).max(32).nullable(),
  /** An avatar hash ("a_" for animated), or null for a default avatar. */
  avatar: z.string().regex(/^(a_)?[0-9a-f]{32}$/).nullable(),
});
export type LinkProfile = z.infer<typeof LinkProfile>;

/** The payload of a LINK_DISCORD token; null for a token made before profiles were stored, or malformed. */
export function readLinkProfile(payload: unknown): LinkProfile | null {
  const parsed = LinkProfile.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

/** "Global name (@username)", or "@username" when they have no global name. */
export function profileName(profile: LinkProfile): string {
  return profile.globalName && profile.globalName !== profile.username ? `${profile.globalName} (@${profile.username})` : `@${profile.username}`;
}

/**
 * The avatar's PNG URL (128 px): the user's own, else the default one Discord derives from the id
 * ((id >> 22) % 6 for accounts on the new username system).
 */
export function avatarUrl(discordUserId: string, avatar: string | null): string {
  if (avatar) return `${DISCORD_CDN}/avatars/${discordUserId}/${avatar}.png?size=128`;
  return `${DISCORD_CDN}/embed/avatars/${Number((BigInt(discordUserId) >> 22n) % 6n)}.png`;
}
