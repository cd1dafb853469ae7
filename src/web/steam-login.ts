// Steam login for /link (research/integrations.md, "Linking a Discord user to Steam"):
//   GET /auth/link/:token     shows which Discord account the link is for (name, avatar) and a button; spends
//                             nothing, so a prefetch or a link preview cannot use the link up;
//   POST /auth/link           the button: consumes the one-time link token, binds a new login state to an
//                             HttpOnly cookie and redirects to Steam with the state in the (signed) return_to;
//   GET /auth/steam/callback  checks cookie == state, verifies the assertion with Steam, records the nonce,
//                             consumes the state, then links the Discord user to the Steam id, unless that
//                             Steam account is another Discord account's: then that account is asked by DM.
// Every URL is built from PUBLIC_BASE_URL, never from the Host header. Config is read per request.
// Logs carry outcomes and fixed reasons only: never tokens, state values, cookies or query strings.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { Router, type Request, type Response } from "express";
import type { Config } from "../config.ts";
import { linkDiscordToSteam, SteamAccountOwned } from "../identity/link-account.ts";
import { askToMove } from "../identity/link-confirm.ts";
import { linkedMessage, tell } from "../identity/link-notices.ts";
import { readLinkProfile } from "../identity/link-profile.ts";
import { consumeOneTimeToken, createOneTimeToken, peekOneTimeToken, useOnce } from "../identity/one-time-tokens.ts";
import { buildSteamLoginUrl, duplicatedKey, verifySteamAssertion } from "../identity/steam-openid.ts";
import type { WebDeps } from "./deps.ts";
import { confirmPage, page } from "./link-pages.ts";

export const STATE_COOKIE = "rp_state";
/** Set with the confirm page; its POST must carry the same value (double submit, SameSite=Strict). */
export const CONFIRM_COOKIE = "rp_confirm";
export const MOVE_REQUESTED =
  "This Steam account is linked to another Discord account; that account has been sent a message to confirm. " +
  "Nothing changes until it confirms; you will get a direct message either way. You can close this page.";
export const MOVE_UNREACHABLE =
  "This Steam account is linked to another Discord account, which could not be asked to confirm (it does not accept " +
  "direct messages from the bot). Nothing was changed.";
export const LOGIN_STATE_TTL_MS = 10 * 60_000;
/** Longer than any nonce we accept (5 minutes old at most): a day. */
export const NONCE_KEEP_MS = 24 * 60 * 60_000;

/** The public URLs of the login flow, under PUBLIC_BASE_URL (which may carry a path prefix). */
export function steamLoginUrls(config: Pick<Config, "PUBLIC_BASE_URL">): { callback: string; confirm: string; realm: string; cookiePath: string; secure: boolean } {
  const base = new URL(config.PUBLIC_BASE_URL);
  base.search = "";
  base.hash = "";
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  const callback = new URL("auth/steam/callback", base);
  return {
    callback: callback.href,
    confirm: new URL("auth/link", base).href,
    realm: base.origin,
    cookiePath: new URL("auth", base).pathname,
    secure: base.protocol === "https:",
  };
}

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
    const urls = steamLoginUrls(deps.config);
    const csrf = randomBytes(24).toString("base64url");
    res.setHeader("Set-Cookie", confirmCookie(urls, csrf, LOGIN_STATE_TTL_MS / 1000));
    confirmPage(res, {
      discordUserId: link.subject,
      profile: readLinkProfile(link.payload),
      action: urls.confirm,
      fields: { token: req.params.token, csrf },
      formOrigins: [new URL(urls.confirm).origin, new URL(deps.config.STEAM_OPENID_ENDPOINT).origin],
    });
  });

  // The confirm page's button. The CSRF value must match the SameSite=Strict cookie set with the page, so
  // another site cannot post a link token into a visitor's browser and skip the page.
  router.post("/link", async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === "string" ? body.token : "";
    const csrf = typeof body.csrf === "string" ? body.csrf : "";
    const cookies = cookieValues(req.headers.cookie, CONFIRM_COOKIE);
    const urls = steamLoginUrls(deps.config);
    if (cookies.length !== 1 || !csrf || !sameSecret(cookies[0]!, csrf)) {
      req.log.warn({ outcome: "rejected", reason: "confirm cookie missing or does not match" }, "steam link");
      return void page(res, 400, "Link not confirmed", "This page has expired or was opened in another browser. Open the link from /link in Discord again.");
    }
    const link = await consumeOneTimeToken(deps.prisma, "LINK_DISCORD", token);
    if (!link) return void linkExpired(req, res);
    const { token: state } = await createOneTimeToken(deps.prisma, {
      purpose: "LOGIN_STATE",
      subject: link.subject,
      ttlMs: LOGIN_STATE_TTL_MS,
      ...(link.payload !== null && { payload: link.payload }),
    });
    const returnTo = new URL(urls.callback);
    returnTo.searchParams.set("state", state);
    res.setHeader("Set-Cookie", [confirmCookie(urls, "", 0), stateCookie(urls, state, LOGIN_STATE_TTL_MS / 1000)]);
    req.log.info({ outcome: "redirected", discordUserId: link.subject }, "steam link");
    res.redirect(303, buildSteamLoginUrl({ endpoint: deps.config.STEAM_OPENID_ENDPOINT, returnTo: returnTo.href, realm: urls.realm }));
  });

  router.get("/steam/callback", async (req, res) => {
    const reject = (reason: string, status = 400, message = "This login could not be verified. Run /link in Discord again.") => {
      req.log.warn({ outcome: "rejected", reason }, "steam login");
      page(res, status, "Steam login failed", message);
    };
    const rawQuery = queryOf(req.originalUrl);
    const params = new URLSearchParams(rawQuery);
    if (duplicatedKey(params) !== undefined) return void reject("duplicated parameter");

    const cookies = cookieValues(req.headers.cookie, STATE_COOKIE);
    const state = params.get("state");
    const sessionMessage = "This login session has expired or was started in another browser. Run /link in Discord again.";
    if (cookies.length === 0) return void reject("missing state cookie", 400, sessionMessage);
    if (cookies.length > 1) return void reject("duplicated state cookie", 400, sessionMessage);
    if (!state) return void reject("missing state", 400, sessionMessage);
    if (!sameSecret(cookies[0]!, state)) return void reject("state does not match cookie", 400, sessionMessage);

    const urls = steamLoginUrls(deps.config);
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
    if (!login) return void reject("state expired or already used", 400, sessionMessage);

    res.setHeader("Set-Cookie", stateCookie(urls, "", 0));
    const steamId = result.steamId;
    const linked = await linkDiscordToSteam(deps.prisma, { steamId, discordUserId: login.subject }).catch((error: unknown) => {
      if (error instanceof SteamAccountOwned) return error;
      throw error;
    });
    if (linked instanceof SteamAccountOwned) {
      // Not moved: its holder decides, in Discord (src/identity/link-confirm.ts).
      const confirm = { prisma: deps.prisma, notifier: deps.notifier, logger: req.log };
      const asked = await askToMove(confirm, { steamId, owner: linked.ownerDiscordUserId, to: login.subject, toProfile: readLinkProfile(login.payload) });
      req.log.info({ outcome: asked ? "move requested" : "move refused: holder unreachable", discordUserId: login.subject, steamId }, "steam login");
      return void (asked
        ? page(res, 200, "Waiting for confirmation", MOVE_REQUESTED)
        : page(res, 409, "Steam account already linked", MOVE_UNREACHABLE));
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

function confirmCookie(urls: { cookiePath: string; secure: boolean }, value: string, maxAgeSeconds: number): string {
  return [`${CONFIRM_COOKIE}=${value}`, `Max-Age=${maxAgeSeconds}`, `Path=${urls.cookiePath}`, "HttpOnly", "SameSite=Strict", ...(urls.secure ? ["Secure"] : [])].join("; ");
}

function stateCookie(urls: { cookiePath: string; secure: boolean }, value: string, maxAgeSeconds: number): string {
  return [`${STATE_COOKIE}=${value}`, `Max-Age=${maxAgeSeconds}`, `Path=${urls.cookiePath}`, "HttpOnly", "SameSite=Lax", ...(urls.secure ? ["Secure"] : [])].join("; ");
}

/** The request's query string exactly as received, without the "?". */
function queryOf(originalUrl: string): string {
  const at = originalUrl.indexOf("?");
  return at === -1 ? "" : originalUrl.slice(at + 1);
}

/** Every value of one cookie (several means someone planted one: refused). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at === -1) continue;
    if (part.slice(0, at).trim() !== name) continue;
    values.push(part.slice(at + 1).trim().replace(/^"(.*)"$/, "$1"));
  }
  return values;
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}
