// The browser's side of a link login, shared by its steps (confirm page → Discord OAuth2 when configured →
// Steam): the public URLs under PUBLIC_BASE_URL, the cookies, and the login state one step hands to the next.
// A state is a one-time token (LOGIN_STATE) whose raw value is both in an HttpOnly cookie and in the URL the
// provider sends the browser back to: a callback needs both, equal, so it completes only in the browser that began it.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Response } from "express";
import type { Config } from "../config.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { createOneTimeToken } from "../identity/one-time-tokens.ts";
import { buildSteamLoginUrl } from "../identity/steam-openid.ts";
import type { WebDeps } from "./deps.ts";

export const STATE_COOKIE = "rp_state";
/** Set with the confirm page; its POST must carry the same value (double submit, SameSite=Strict). */
export const CONFIRM_COOKIE = "rp_confirm";
export const LOGIN_STATE_TTL_MS = 10 * 60_000;
export const SESSION_MESSAGE = "This login session has expired or was started in another browser. Run /link in Discord again.";

export interface LoginUrls {
  /** Steam's return_to, without the query. */
  callback: string;
  /** Discord's redirect_uri (register it on the application's OAuth2 page). */
  discordCallback: string;
  /** Where the confirm page's form posts. */
  confirm: string;
  realm: string;
  cookiePath: string;
  secure: boolean;
}

/** The public URLs of the login flow, under PUBLIC_BASE_URL (which may carry a path prefix). */
export function loginUrls(config: Pick<Config, "PUBLIC_BASE_URL">): LoginUrls {
  const base = new URL(config.PUBLIC_BASE_URL);
  base.search = "";
  base.hash = "";
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  return {
    callback: new URL("auth/steam/callback", base).href,
    discordCallback: new URL("auth/discord/callback", base).href,
    confirm: new URL("auth/link", base).href,
    realm: base.origin,
    cookiePath: new URL("auth", base).pathname,
    secure: base.protocol === "https:",
  };
}

function cookie(name: string, sameSite: "Lax" | "Strict", urls: LoginUrls, value: string, maxAgeSeconds: number): string {
  return [`${name}=${value}`, `Max-Age=${maxAgeSeconds}`, `Path=${urls.cookiePath}`, "HttpOnly", `SameSite=${sameSite}`, ...(urls.secure ? ["Secure"] : [])].join("; ");
}

/** Lax: the providers send the browser back with a top-level GET from their site. */
export const stateCookie = (urls: LoginUrls, value: string, maxAgeSeconds: number) => cookie(STATE_COOKIE, "Lax", urls, value, maxAgeSeconds);
/** Strict: only the page itself may post its form. */
export const confirmCookie = (urls: LoginUrls, value: string, maxAgeSeconds: number) => cookie(CONFIRM_COOKIE, "Strict", urls, value, maxAgeSeconds);

/** Starts a step: a new state for `subject` (carrying `payload`), bound to this browser by cookie. Returns the state. */
export async function beginState(
  prisma: PrismaClient,
  res: Response,
  urls: LoginUrls,
  input: { subject: string; payload: Prisma.JsonValue | null },
  extraCookies: string[] = [],
): Promise<string> {
  const { token: state } = await createOneTimeToken(prisma, {
    purpose: "LOGIN_STATE",
    subject: input.subject,
    ttlMs: LOGIN_STATE_TTL_MS,
    ...(input.payload !== null && { payload: input.payload as Prisma.InputJsonValue }),
  });
  res.setHeader("Set-Cookie", [...extraCookies, stateCookie(urls, state, LOGIN_STATE_TTL_MS / 1000)]);
  return state;
}

/** Sends the browser to Steam with a new state for `subject` (the last step before the Steam callback). */
export async function redirectToSteam(
  deps: Pick<WebDeps, "prisma" | "config">,
  res: Response,
  urls: LoginUrls,
  input: { subject: string; payload: Prisma.JsonValue | null },
  extraCookies: string[] = [],
): Promise<void> {
  const state = await beginState(deps.prisma, res, urls, input, extraCookies);
  const returnTo = new URL(urls.callback);
  returnTo.searchParams.set("state", state);
  res.redirect(303, buildSteamLoginUrl({ endpoint: deps.config.STEAM_OPENID_ENDPOINT, returnTo: returnTo.href, realm: urls.realm }));
}

/** The callback's state if this browser's cookie carries the same one; else the fixed reason (safe to log). */
export function stateOfCallback(cookieHeader: string | undefined, params: URLSearchParams): { ok: true; state: string } | { ok: false; reason: string } {
  const cookies = cookieValues(cookieHeader, STATE_COOKIE);
  const state = params.get("state");
  if (cookies.length === 0) return { ok: false, reason: "missing state cookie" };
  if (cookies.length > 1) return { ok: false, reason: "duplicated state cookie" };
  if (!state) return { ok: false, reason: "missing state" };
  if (!sameSecret(cookies[0]!, state)) return { ok: false, reason: "state does not match cookie" };
  return { ok: true, state };
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
export function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The request's query string exactly as received, without the "?". */
export function queryOf(originalUrl: string): string {
  const at = originalUrl.indexOf("?");
  return at === -1 ? "" : originalUrl.slice(at + 1);
}
