// The Discord OAuth2 step of /link, on when DISCORD_CLIENT_SECRET is set (src/identity/discord-oauth.ts):
// the confirm page's POST sends the browser to Discord's authorize page (scope identify) with a state bound
// to its cookie, and
//   GET /auth/discord/callback  checks cookie == state, exchanges the code, asks Discord who signed in; the
//                               account the link was made for goes on to Steam with a new, verified state;
//                               anyone else is refused and nothing is linked.
// So a /link URL opened by someone else cannot link their Steam account unless they can sign in to Discord
// as the account that made it.
import { Router } from "express";
import type { Prisma } from "../generated/prisma/client.ts";
import { discordOAuthClient, identifyDiscordUser } from "../identity/discord-oauth.ts";
import { profileName, readLinkProfile } from "../identity/link-profile.ts";
import { consumeOneTimeToken, peekOneTimeToken } from "../identity/one-time-tokens.ts";
import { duplicatedKey } from "../identity/steam-openid.ts";
import type { WebDeps } from "./deps.ts";
import { page } from "./link-pages.ts";
import { loginUrls, queryOf, redirectToSteam, SESSION_MESSAGE, stateCookie, stateOfCallback } from "./login-state.ts";

const VERIFIED = "discordVerified";

/** Whether a login state was issued after Discord confirmed who is signing in. */
export function isDiscordVerified(payload: Prisma.JsonValue | null): boolean {
  return typeof payload === "object" && payload !== null && !Array.isArray(payload) && payload[VERIFIED] === true;
}

export function discordLogin(deps: WebDeps): Router {
  const router = Router();
  router.get("/discord/callback", async (req, res) => {
    const reject = (reason: string, status = 400, message = "This Discord sign-in could not be verified. Run /link in Discord again.") => {
      req.log.warn({ outcome: "rejected", reason }, "discord login");
      page(res, status, "Discord sign-in failed", message);
    };
    const oauth = discordOAuthClient(deps.config);
    if (!oauth) return void page(res, 404, "Not found", "Discord sign-in is not configured here.");
    const params = new URLSearchParams(queryOf(req.originalUrl));
    if (duplicatedKey(params) !== undefined) return void reject("duplicated parameter");
    const bound = stateOfCallback(req.headers.cookie, params);
    if (!bound.ok) return void reject(bound.reason, 400, SESSION_MESSAGE);
    const { state } = bound;
    const urls = loginUrls(deps.config);

    if (params.has("error")) {
      // Cancelled on Discord's page (error=access_denied): this browser's login is over.
      await consumeOneTimeToken(deps.prisma, "LOGIN_STATE", state);
      res.setHeader("Set-Cookie", stateCookie(urls, "", 0));
      req.log.info({ outcome: "cancelled" }, "discord login");
      return void page(res, 200, "Login cancelled", "Discord sign-in cancelled; nothing was linked.");
    }
    const code = params.get("code");
    if (!code) return void reject("missing code");
    const pending = await peekOneTimeToken(deps.prisma, "LOGIN_STATE", state);
    if (!pending || isDiscordVerified(pending.payload)) return void reject("state expired or already used", 400, SESSION_MESSAGE);

    const who = await identifyDiscordUser(oauth, { code, redirectUri: urls.discordCallback });
    if (!who.ok) {
      if (who.reason === "code refused") return void reject(who.reason);
      return void reject(who.reason, 502, "Discord did not answer. Run /link in Discord again in a moment.");
    }
    const login = await consumeOneTimeToken(deps.prisma, "LOGIN_STATE", state);
    if (!login) return void reject("state expired or already used", 400, SESSION_MESSAGE);
    const profile = readLinkProfile(login.payload);
    if (who.id !== login.subject) {
      res.setHeader("Set-Cookie", stateCookie(urls, "", 0));
      req.log.warn({ outcome: "rejected", reason: "signed in as another discord account", discordUserId: login.subject, signedIn: who.id }, "discord login");
      const signedIn = profileName({ username: who.username, globalName: who.globalName, avatar: null });
      const madeFor = profile ? profileName(profile) : `Discord account ${login.subject}`;
      return void page(
        res,
        403,
        "Wrong Discord account",
        `You signed in to Discord as ${signedIn}, but this link was made for ${madeFor}. Nothing was linked. ` +
          "If this link was sent to you by someone else, close this page. To link your own account, run /link in Discord yourself.",
      );
    }
    const payload = { ...(typeof login.payload === "object" && login.payload !== null && !Array.isArray(login.payload) ? login.payload : {}), [VERIFIED]: true };
    req.log.info({ outcome: "redirected", discordUserId: login.subject }, "discord login");
    await redirectToSteam(deps, res, urls, { subject: login.subject, payload });
  });
  return router;
}
