// Steam login for /link (research/integrations.md, "Linking a Discord user to Steam"):
//   GET /auth/link/:token     shows which Discord account the link is for (name, avatar) and a button; spends
//                             nothing, so a prefetch or a link preview cannot use the link up;
//   POST /auth/link           the button: consumes the one-time link token, binds a new login state to an
//                             HttpOnly cookie and redirects to Steam with the state in the (signed) return_to,
//                             or first to Discord OAuth2 when DISCORD_CLIENT_SECRET is set (discord-login.ts);
//   GET /auth/steam/callback  checks cookie == state, verifies the assertion with Steam, records the nonce,
//                             consumes the state, then links the Discord user to the Steam id, unless that
//                             Steam account is another Discord account's: then that account is asked by DM.
// Every URL is built from PUBLIC_BASE_URL, never from the Host header. Config is read per request.
// Logs carry outcomes and fixed reasons only: never tokens, state values, cookies or query strings.
import { randomBytes } from "node:crypto";
import { Router, type Request, type Response } from "express";
import { buildDiscordAuthorizeUrl, discordOAuthClient } from "../identity/discord-oauth.ts";
import { linkDiscordToSteam, SteamAccountOwned } from "../identity/link-account.ts";
import { askToMove } from "../identity/link-confirm.ts";
import { linkedMessage, tell } from "../identity/link-notices.ts";
import { readLinkProfile } from "../identity/link-profile.ts";
import { consumeOneTimeToken, peekOneTimeToken, useOnce } from "../identity/one-time-tokens.ts";
import { duplicatedKey, verifySteamAssertion } from "../identity/steam-openid.ts";
import type { WebDeps } from "./deps.ts";
import { discordLogin, isDiscordVerified } from "./discord-login.ts";
import { confirmPage, page } from "./link-pages.ts";
import {
  beginState,
  CONFIRM_COOKIE,
  confirmCookie,
  cookieValues,
  LOGIN_STATE_TTL_MS,
  loginUrls,
  queryOf,
  redirectToSteam,
  sameSecret,
  SESSION_MESSAGE,
  stateCookie,
  stateOfCallback,
} from "./login-state.ts";

export const MOVE_REQUESTED =
  "This Steam account is linked to another Discord account; that account has been sent a message to confirm. " +
  "Nothing changes until it confirms; you will get a direct message either way. You can close this page.";
export const MOVE_UNREACHABLE =
  "This Steam account is linked to another Discord account, which could not be asked to confirm (it does not accept " +
  "direct messages from the bot). Nothing was changed.";
/** Longer than any nonce we accept (5 minutes old at most): a day. */
export const NONCE_KEEP_MS = 24 * 60 * 60_000;

export function steamLogin(deps: WebDeps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  router.get("/link/:token", async (req, res) => {
    // Only a look: link checkers, prefetchers and previews (GET or HEAD) never spend the token.
    const link = await peekOneTimeToken(deps.prisma, "LINK_DISCORD", req.params.token);
    if (!link) return void linkExpired(req, res);
    const urls = loginUrls(deps.config);
    const csrf = randomBytes(24).toString("base64url");
    const oauth = discordOAuthClient(deps.config);
    res.setHeader("Set-Cookie", confirmCookie(urls, csrf, LOGIN_STATE_TTL_MS / 1000));
    confirmPage(res, {
      discordUserId: link.subject,
      profile: readLinkProfile(link.payload),
      action: urls.confirm,
      fields: { token: req.params.token, csrf },
      formOrigins: [new URL(urls.confirm).origin, new URL(deps.config.STEAM_OPENID_ENDPOINT).origin, ...(oauth ? [new URL(oauth.base).origin] : [])],
      viaDiscord: oauth !== undefined,
    });
  });

  // The confirm page's button. The CSRF value must match the SameSite=Strict cookie set with the page, so
  // another site cannot post a link token into a visitor's browser and skip the page.
  router.post("/link", async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === "string" ? body.token : "";
    const csrf = typeof body.csrf === "string" ? body.csrf : "";
    const cookies = cookieValues(req.headers.cookie, CONFIRM_COOKIE);
    const urls = loginUrls(deps.config);
    if (cookies.length !== 1 || !csrf || !sameSecret(cookies[0]!, csrf)) {
      req.log.warn({ outcome: "rejected", reason: "confirm cookie missing or does not match" }, "steam link");
      return void page(res, 400, "Link not confirmed", "This page has expired or was opened in another browser. Open the link from /link in Discord again.");
    }
    const link = await consumeOneTimeToken(deps.prisma, "LINK_DISCORD", token);
    if (!link) return void linkExpired(req, res);
    const spent = [confirmCookie(urls, "", 0)];
    const oauth = discordOAuthClient(deps.config);
    if (oauth) {
      const state = await beginState(deps.prisma, res, urls, link, spent);
      req.log.info({ outcome: "redirected to discord", discordUserId: link.subject }, "steam link");
      return void res.redirect(303, buildDiscordAuthorizeUrl(oauth, { redirectUri: urls.discordCallback, state }));
    }
    req.log.info({ outcome: "redirected", discordUserId: link.subject }, "steam link");
    await redirectToSteam(deps, res, urls, link, spent);
  });

  router.use(discordLogin(deps));

  router.get("/steam/callback", async (req, res) => {
    const reject = (reason: string, status = 400, message = "This login could not be verified. Run /link in Discord again.") => {
      req.log.warn({ outcome: "rejected", reason }, "steam login");
      page(res, status, "Steam login failed", message);
    };
    const rawQuery = queryOf(req.originalUrl);
    const params = new URLSearchParams(rawQuery);
    if (duplicatedKey(params) !== undefined) return void reject("duplicated parameter");
    const bound = stateOfCallback(req.headers.cookie, params);
    if (!bound.ok) return void reject(bound.reason, 400, SESSION_MESSAGE);
    const { state } = bound;

    const urls = loginUrls(deps.config);
    const endpoint = deps.config.STEAM_OPENID_ENDPOINT;
    const result = await verifySteamAssertion({ endpoint, expectedReturnTo: urls.callback, rawQuery });
    if (!result.ok) {
      if (result.reason === "cancelled") {
        // The cookie matched: this browser's login is over, so spend its state.
        await consumeOneTimeToken(deps.prisma, "LOGIN_STATE", state);
        res.setHeader("Set-Cookie", stateCookie(urls, "", 0));
        req.log.info({ outcome: "cancelled" }, "steam login");
        return void page(res, 200, "Login cancelled", "Login cancelled; nothing was linked.");
      }
      if (result.reason === "provider unreachable" || result.reason === "provider error") {
        return void reject(result.reason, 502, "Steam did not answer. Run /link in Discord again in a moment.");
      }
      return void reject(result.reason);
    }
    if (!(await useOnce(deps.prisma, "OPENID_NONCE", `${endpoint} ${result.nonce}`, NONCE_KEEP_MS))) return void reject("nonce already used");
    const login = await consumeOneTimeToken(deps.prisma, "LOGIN_STATE", state);
    if (!login) return void reject("state expired or already used", 400, SESSION_MESSAGE);
    res.setHeader("Set-Cookie", stateCookie(urls, "", 0));
    // With OAuth2 on, only a state the Discord step issued reaches here honestly; a state from the confirm
    // page's POST (before Discord) is refused.
    if (discordOAuthClient(deps.config) && !isDiscordVerified(login.payload)) return void reject("state not verified with discord", 400, SESSION_MESSAGE);

    const steamId = result.steamId;
    const linked = await linkDiscordToSteam(deps.prisma, { steamId, discordUserId: login.subject, initialCredits: deps.config.INITIAL_CREDITS_FOR_NEW }).catch((error: unknown) => {
      if (error instanceof SteamAccountOwned) return error;
      throw error;
    });
    if (linked instanceof SteamAccountOwned) {
      // Not moved: its holder decides, in Discord (src/identity/link-confirm.ts).
      const confirm = { prisma: deps.prisma, notifier: deps.notifier, logger: req.log };
      const asked = await askToMove(confirm, { steamId, owner: linked.ownerDiscordUserId, to: login.subject, toProfile: readLinkProfile(login.payload) });
      req.log.info({ outcome: asked ? "move requested" : "move refused: holder unreachable", discordUserId: login.subject, steamId }, "steam login");
      return void (asked ? page(res, 200, "Waiting for confirmation", MOVE_REQUESTED) : page(res, 409, "Steam account already linked", MOVE_UNREACHABLE));
    }
    req.log.info({ outcome: "linked", discordUserId: login.subject, steamId, created: linked.created, replacedSteamId: linked.previousSteamId }, "steam login");
    await tell(deps.notifier, req.log, login.subject, linkedMessage({ steamId, previousSteamId: linked.previousSteamId, movedFrom: null }), "linked");
    page(res, 200, "Steam account linked", `Linked Steam account ${steamId} to your Discord account. You can close this page and return to Discord.`);
  });

  return router;
}

function linkExpired(req: Request, res: Response): void {
  req.log.warn({ outcome: "rejected", reason: "link token invalid, expired or used" }, "steam link");
  page(res, 400, "Link expired", "This link has expired or was already used. Run /link in Discord again.");
}
