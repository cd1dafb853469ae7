// Discord OAuth2 with scope `identify`, to learn which Discord account the browser on the link page belongs to
// (authorization code grant: https://discord.com/developers/docs/topics/oauth2; endpoints as in Discord's
// /.well-known/oauth-authorization-server). On built-in fetch, like steam-openid.ts: no redirects followed,
// small answers only, a timeout, and each failure a fixed reason, safe to log. Tokens are used once and dropped.
import { z } from "zod";
import type { Config } from "../config.ts";
import { readLimited } from "./steam-openid.ts";

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface DiscordOAuthClient {
  /** DISCORD_OAUTH_URL: "https://discord.com/api". */
  base: string;
  clientId: string;
  clientSecret: string;
}

/** The OAuth2 client when DISCORD_CLIENT_SECRET (and so DISCORD_APPLICATION_ID) is configured; else off. */
export function discordOAuthClient(config: Pick<Config, "DISCORD_CLIENT_SECRET" | "DISCORD_APPLICATION_ID" | "DISCORD_OAUTH_URL">): DiscordOAuthClient | undefined {
  if (!config.DISCORD_CLIENT_SECRET || !config.DISCORD_APPLICATION_ID) return undefined;
  return { base: config.DISCORD_OAUTH_URL.replace(/\/+$/, ""), clientId: config.DISCORD_APPLICATION_ID, clientSecret: config.DISCORD_CLIENT_SECRET };
}

/** Where to send the browser: Discord's authorize page for `identify`, coming back to `redirectUri` with `state`. */
export function buildDiscordAuthorizeUrl(client: DiscordOAuthClient, input: { redirectUri: string; state: string }): string {
  const url = new URL(`${client.base}/oauth2/authorize`);
  url.search = new URLSearchParams({ response_type: "code", client_id: client.clientId, scope: "identify", redirect_uri: input.redirectUri, state: input.state }).toString();
  return url.href;
}

const TokenAnswer = z.object({ access_token: z.string().min(1), token_type: z.string().regex(/^bearer$/i) });
const DiscordUser = z.object({ id: z.string().regex(/^\d{17,20}$/), username: z.string().min(1).max(32), global_name: z.string().max(32).nullish() });

export type DiscordIdentity = { ok: true; id: string; username: string; globalName: string | null } | { ok: false; reason: "code refused" | "provider unreachable" | "provider error" };

/** Exchanges the authorization code (for `redirectUri`) and asks who signed in. Never throws. */
export async function identifyDiscordUser(
  client: DiscordOAuthClient,
  input: { code: string; redirectUri: string; fetchImpl?: typeof fetch; timeoutMs?: number },
): Promise<DiscordIdentity> {
  const fetchImpl = input.fetchImpl ?? fetch;
  const signal = () => AbortSignal.timeout(input.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    const tokenResponse = await fetchImpl(`${client.base}/oauth2/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        // client_secret_basic: RFC 6749 §2.3.1 form-encodes both parts first.
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code: input.code, redirect_uri: input.redirectUri }).toString(),
      redirect: "error",
      signal: signal(),
    });
    const tokenText = await readLimited(tokenResponse, MAX_RESPONSE_BYTES);
    if (tokenResponse.status === 400) return { ok: false, reason: "code refused" };
    const token = tokenResponse.ok && tokenText !== null ? TokenAnswer.safeParse(parseJson(tokenText)) : undefined;
    if (!token?.success) return { ok: false, reason: "provider error" };

    const userResponse = await fetchImpl(`${client.base}/users/@me`, {
      headers: { authorization: `Bearer ${token.data.access_token}`, accept: "application/json" },
      redirect: "error",
      signal: signal(),
    });
    const userText = await readLimited(userResponse, MAX_RESPONSE_BYTES);
    const user = userResponse.ok && userText !== null ? DiscordUser.safeParse(parseJson(userText)) : undefined;
    if (!user?.success) return { ok: false, reason: "provider error" };
    return { ok: true, id: user.data.id, username: user.data.username, globalName: user.data.global_name ?? null };
  } catch {
    return { ok: false, reason: "provider unreachable" };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
