// Steam login over OpenID 2.0, on built-in fetch (research/integrations.md, "Steam OpenID 2.0"). Deliberately
// small: no discovery (the endpoint is configured, never taken from a request), no associations (every
// assertion is checked with the provider directly), and each check fails with its own reason. Reasons are
// fixed strings: they never contain values from the request, so they are safe to log and to show.
export const OPENID_NS = "http://specs.openid.net/auth/2.0";
export const IDENTIFIER_SELECT = "http://specs.openid.net/auth/2.0/identifier_select";
export const STEAM_CLAIMED_ID = /^https:\/\/steamcommunity\.com\/openid\/id\/(7656119\d{10})$/;

/** Fields Steam signs; an assertion that leaves one of them unsigned is refused. */
export const REQUIRED_SIGNED_FIELDS = ["op_endpoint", "claimed_id", "identity", "return_to", "response_nonce", "assoc_handle"] as const;

/** How old a response_nonce may be, and how far ahead of our clock (skew). */
export const NONCE_MAX_AGE_MS = 5 * 60_000;
export const NONCE_MAX_SKEW_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;
/** Steam's check_authentication answer is a few dozen bytes. */
const MAX_RESPONSE_BYTES = 16 * 1024;

export type SteamAssertionFailure =
  | "duplicated parameter"
  | "cancelled"
  | "unexpected mode"
  | "wrong namespace"
  | "foreign op_endpoint"
  | "invalid claimed_id"
  | "identity does not match claimed_id"
  | "foreign return_to"
  | "return_to query does not match"
  | "unexpected parameter"
  | "missing signature"
  | "required field not signed"
  | "signed field missing"
  | "malformed nonce"
  | "stale nonce"
  | "provider unreachable"
  | "provider error"
  | "assertion not valid";

export type SteamAssertionResult = { ok: true; steamId: string; nonce: string } | { ok: false; reason: SteamAssertionFailure };

/** The URL that sends the user to Steam's login page (checkid_setup, identifier_select). */
export function buildSteamLoginUrl(input: { endpoint: string; returnTo: string; realm: string }): string {
  const url = new URL(input.endpoint);
  const params = new URLSearchParams({
    "openid.ns": OPENID_NS,
    "openid.mode": "checkid_setup",
    "openid.claimed_id": IDENTIFIER_SELECT,
    "openid.identity": IDENTIFIER_SELECT,
    "openid.return_to": input.returnTo,
    "openid.realm": input.realm,
  });
  url.search = params.toString();
  return url.href;
}

/** The first key that occurs more than once (Express would turn it into an array: parameter pollution). */
export function duplicatedKey(params: URLSearchParams): string | undefined {
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

/**
 * Verifies the positive assertion Steam redirected the user back with. `rawQuery` is the callback request's
 * query string exactly as received (with or without the leading "?"); `expectedReturnTo` is the callback URL
 * without a query. The nonce is returned so the caller can record it as used (in the database, not memory).
 */
export async function verifySteamAssertion(input: {
  endpoint: string;
  expectedReturnTo: string;
  rawQuery: string;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** The clock, for the nonce's age (tests). */
  now?: () => number;
}): Promise<SteamAssertionResult> {
  const fail = (reason: SteamAssertionFailure): SteamAssertionResult => ({ ok: false, reason });
  const params = new URLSearchParams(input.rawQuery.startsWith("?") ? input.rawQuery.slice(1) : input.rawQuery);
  if (duplicatedKey(params) !== undefined) return fail("duplicated parameter");
  const get = (field: string) => params.get(`openid.${field}`);

  const mode = get("mode");
  if (mode === "cancel") return fail("cancelled");
  if (mode !== "id_res") return fail("unexpected mode");
  if (get("ns") !== OPENID_NS) return fail("wrong namespace");
  if (get("op_endpoint") !== input.endpoint) return fail("foreign op_endpoint");

  const claimedId = get("claimed_id") ?? "";
  const steamId = STEAM_CLAIMED_ID.exec(claimedId)?.[1];
  if (steamId === undefined) return fail("invalid claimed_id");
  if (get("identity") !== claimedId) return fail("identity does not match claimed_id");

  const returnTo = parseUrl(get("return_to") ?? "");
  const expected = parseUrl(input.expectedReturnTo);
  if (!returnTo || !expected || returnTo.hash !== "" || returnTo.origin + returnTo.pathname !== expected.origin + expected.pathname) {
    return fail("foreign return_to");
  }
  // OpenID 2.0 §11.1: the parameters of the (signed) return_to must be those of this request, which binds our
  // own state parameter to the signature; anything else in the request must be an openid.* field.
  if (duplicatedKey(returnTo.searchParams) !== undefined) return fail("return_to query does not match");
  for (const [key, value] of returnTo.searchParams) {
    if (key.startsWith("openid.") || params.get(key) !== value) return fail("return_to query does not match");
  }
  for (const key of params.keys()) {
    if (!key.startsWith("openid.") && !returnTo.searchParams.has(key)) return fail("unexpected parameter");
  }

  if (!get("sig") || !get("assoc_handle")) return fail("missing signature");
  const signed = (get("signed") ?? "").split(",");
  if (REQUIRED_SIGNED_FIELDS.some((field) => !signed.includes(field))) return fail("required field not signed");
  if (signed.some((field) => field === "" || get(field) === null)) return fail("signed field missing");

  const nonce = get("response_nonce") ?? "";
  const issuedAt = nonceTime(nonce);
  if (issuedAt === undefined) return fail("malformed nonce");
  const now = (input.now ?? Date.now)();
  if (issuedAt < now - NONCE_MAX_AGE_MS || issuedAt > now + NONCE_MAX_SKEW_MS) return fail("stale nonce");

  // Direct verification: every openid.* field back to the provider, mode switched to check_authentication.
  const body = new URLSearchParams();
  for (const [key, value] of params) if (key.startsWith("openid.") && key !== "openid.mode") body.append(key, value);
  body.set("openid.mode", "check_authentication");
  let answer: string | null;
  try {
    const response = await (input.fetchImpl ?? fetch)(input.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/plain" },
      body: body.toString(),
      redirect: "error",
      signal: AbortSignal.timeout(input.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return fail("provider error");
    }
    answer = await readLimited(response, MAX_RESPONSE_BYTES);
  } catch {
    return fail("provider unreachable");
  }
  if (answer === null) return fail("provider error");
  const lines = answer.split("\n").map((line) => line.replace(/\r$/, ""));
  if (!lines.includes("is_valid:true")) return fail("assertion not valid");
  return { ok: true, steamId, nonce };
}

/** A response_nonce: an ISO UTC timestamp to the second, then up to 255 printable characters in all. */
export function nonceTime(nonce: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z[\x21-\x7e]*$/.exec(nonce);
  if (!m || nonce.length > 255) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(time);
  // Reject rolled-over dates like 2026-02-31.
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  return time;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** The body as text, or null when it is over `limit` bytes (the rest is not read). */
export async function readLimited(response: Response, limit: number): Promise<string | null> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
