// Logging in to Discord as an operator needs to see it: the bot's invite link as soon as the application id is
// known, and a hint when Discord does not answer (a login with no answer otherwise waits silently for ever).
import { Events, OAuth2Scopes, PermissionFlagsBits as P, PermissionsBitField, type Client } from "discord.js";
import type { Config } from "../config.ts";
import { discordRestProblem } from "../environment-errors.ts";
import type { Logger } from "../logger.ts";
import { realTimers, type Timers } from "../rustplus/timers.ts";

/** What the bot needs in a guild: /setup creates channels and roles, then posts cards with images. */
export const INVITE_PERMISSIONS = [
  P.ViewChannel, P.ManageChannels, P.ManageRoles, P.SendMessages, P.EmbedLinks, P.AttachFiles, P.ReadMessageHistory,
] as const;
export const INVITE_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

// What the developer portal's URL generator produces (discord.js's OAuth2Routes points at the API host instead).
const AUTHORIZE_URL = "https://discord.com/oauth2/authorize";

/** Discord's authorize URL that adds the application `applicationId` to a guild with the permissions above. */
export function inviteUrl(applicationId: string): string {
  const url = new URL(AUTHORIZE_URL);
  url.searchParams.set("client_id", applicationId);
  url.searchParams.set("scope", INVITE_SCOPES.join(" "));
  url.searchParams.set("permissions", PermissionsBitField.resolve([...INVITE_PERMISSIONS]).toString());
  return url.toString();
}

const DEFAULT_REST_URL = "https://discord.com/api";
export const STILL_WAITING_AFTER_MS = 15_000;

export interface LoginOptions {
  /** The clock of the "still waiting" hint (tests step a virtual one). */
  timers?: Timers;
}

/**
 * `client.login(token)`, logging the invite URL (from DISCORD_APPLICATION_ID at once, else from READY) and, if
 * READY has not come after 15 s, one warning line saying what to check. Rejects as client.login does.
 */
export async function loginToDiscord(
  client: Client,
  token: string,
  config: Pick<Config, "DISCORD_APPLICATION_ID" | "DISCORD_REST_URL">,
  logger: Logger,
  options: LoginOptions = {},
): Promise<void> {
  const timers = options.timers ?? realTimers;
  const logInvite = (applicationId: string) =>
    logger.info({ invite: inviteUrl(applicationId) }, "invite the bot to your Discord server with this link (you need Manage Server there)");
  if (config.DISCORD_APPLICATION_ID) logInvite(config.DISCORD_APPLICATION_ID);

  const waiting = timers.setTimeout(() => logger.warn({ rest: config.DISCORD_REST_URL }, stillWaiting(config)), STILL_WAITING_AFTER_MS);
  client.once(Events.ClientReady, (ready) => {
    timers.clearTimeout(waiting);
    if (!config.DISCORD_APPLICATION_ID) logInvite(ready.application.id);
  });
  try {
    await client.login(token);
  } catch (error) {
    timers.clearTimeout(waiting);
    throw error;
  }
}

function stillWaiting(config: Pick<Config, "DISCORD_REST_URL">): string {
  const where =
    config.DISCORD_REST_URL === DEFAULT_REST_URL
      ? "this machine can reach discord.com (network, firewall, proxy)"
      : `DISCORD_REST_URL (${config.DISCORD_REST_URL}) answers and its gateway is reachable`;
  return (
    `still waiting for Discord after ${STILL_WAITING_AFTER_MS / 1000} s. Check that DISCORD_TOKEN is the current token from your ` +
    `application's Bot page, that ${where}, and that the Message Content intent is on under Privileged Gateway Intents on the Bot page`
  );
}

/**
 * The one line printed when `client.login` rejects with `error`: a rejected token names DISCORD_TOKEN; no answer
 * (timeout) or an unreachable host names DISCORD_REST_URL (`restUrl`); anything else is quoted.
 */
export function loginFailure(restUrl: string, error: unknown): string {
  if ((error as { code?: unknown } | null)?.code === "TokenInvalid") {
    return "Error: Discord rejected DISCORD_TOKEN. Reset the token on your application's Bot page and update .env.";
  }
  const problem = discordRestProblem(restUrl, error);
  if (problem) return `Configuration error: ${problem.message}`;
  return `Error: could not log in to Discord: ${error instanceof Error ? error.message : String(error)}`;
}
