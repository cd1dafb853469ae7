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

/** Explicit bidi formatting characters (marks, embeddings, overrides, isolates): none has a use in a short name. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * "Global name (@username)", or "@username" when they have no global name. The unique @username is what tells
 * two accounts with the same display name apart, so bidi controls in the display name are dropped: an override
 * there would show the @username after it reversed ("Alice \u202E" + "(@ecila)" reads "Alice (alice@)").
 */
export function profileName(profile: LinkProfile): string {
  const globalName = profile.globalName?.replace(BIDI_CONTROLS, "").trim();
  return globalName && globalName !== profile.username ? `${globalName} (@${profile.username})` : `@${profile.username}`;
}

/**
 * The avatar's PNG URL (128 px): the user's own, else the default one Discord derives from the id
 * ((id >> 22) % 6 for accounts on the new username system).
 */
export function avatarUrl(discordUserId: string, avatar: string | null): string {
  if (avatar) return `${DISCORD_CDN}/avatars/${discordUserId}/${avatar}.png?size=128`;
  return `${DISCORD_CDN}/embed/avatars/${Number((BigInt(discordUserId) >> 22n) % 6n)}.png`;
}
