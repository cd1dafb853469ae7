// Steam login for /link (research/integrations.md, "Linking a Discord user to Steam"):
//   GET /auth/link/:token     consumes the one-time link token, binds a new login state to an HttpOnly cookie
//                             and redirects to Steam with the state in the (signed) return_to;
//   GET /auth/steam/callback  checks cookie == state, verifies the assertion with Steam, records the nonce,
//                             consumes the state, then links the Discord user to the Steam id.
// Every URL is built from PUBLIC_BASE_URL, never from the Host header. Config is read per request.
// Logs carry outcomes and fixed reasons only: never tokens, state values, cookies or query strings.
import { createHash, timingSafeEqual } from "node:crypto";
import { Router, type Response } from "express";
import type { Config } from "../config.ts";
import { linkDiscordToSteam } from "../identity/link-account.ts";
import { consumeOneTimeToken, createOneTimeToken, useOnce } from "../identity/one-time-tokens.ts";
import { buildSteamLoginUrl, duplicatedKey, verifySteamAssertion } from "../identity/steam-openid.ts";
import type { WebDeps } from "./deps.ts";

export const STATE_COOKIE = "rp_state";
export const LOGIN_STATE_TTL_MS = 10 * 60_000;
/** Longer than any nonce we accept (5 minutes old at most): a day. */
export const NONCE_KEEP_MS = 24 * 60 * 60_000;

/** The public URLs of the login flow, under PUBLIC_BASE_URL (which may carry a path prefix). */
export function steamLoginUrls(config: Pick<Config, "PUBLIC_BASE_URL">): { callback: string; realm: string; cookiePath: string; secure: boolean } {
  const base = new URL(config.PUBLIC_BASE_URL);
  base.search = "";
  base.hash = "";
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  const callback = new URL("auth/steam/callback", base);
  return {
    callback: callback.href,
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
    const token = req.params.token;
    // Link checkers and prefetchers probe with HEAD: never spend the token on one.
    if (req.method === "HEAD") return void res.status(200).type("html").end();
    const link = await consumeOneTimeToken(deps.prisma, "LINK_DISCORD", token);
    if (!link) {
      req.log.warn({ outcome: "rejected", reason: "link token invalid, expired or used" }, "steam link");
      return void page(res, 400, "Link expired", "This link has expired or was already used. Run /link in Discord again.");
    }
    const urls = steamLoginUrls(deps.config);
    const { token: state } = await createOneTimeToken(deps.prisma, { purpose: "LOGIN_STATE", subject: link.subject, ttlMs: LOGIN_STATE_TTL_MS });
    const returnTo = new URL(urls.callback);
    returnTo.searchParams.set("state", state);
    res.setHeader("Set-Cookie", stateCookie(urls, state, LOGIN_STATE_TTL_MS / 1000));
    req.log.info({ outcome: "redirected", discordUserId: link.subject }, "steam link");
    res.redirect(302, buildSteamLoginUrl({ endpoint: deps.config.STEAM_OPENID_ENDPOINT, returnTo: returnTo.href, realm: urls.realm }));
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

    const linked = await linkDiscordToSteam(deps.prisma, { steamId: result.steamId, discordUserId: login.subject });
    res.setHeader("Set-Cookie", stateCookie(urls, "", 0));
    req.log.info(
      { outcome: "linked", discordUserId: login.subject, steamId: result.steamId, created: linked.created, replacedSteamId: linked.previousSteamId },
      "steam login",
    );
    page(res, 200, "Steam account linked", `Linked Steam account ${result.steamId} to your Discord account. You can close this page and return to Discord.`);
  });

  return router;
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

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function page(res: Response, status: number, title: string, message: string): void {
  res
    .status(status)
    .type("html")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>` +
        `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`,
    );
}
