// Steam login through real HTTP: the sidecar (real Express app on 127.0.0.1) against the fake Steam provider,
// a browser played by fetch with redirect "manual" and the cookie carried by hand.
import { request as httpRequest } from "node:http";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { findLinkedUser } from "../../src/identity/linked-user.ts";
import { createOneTimeToken } from "../../src/identity/one-time-tokens.ts";
import { verifySteamAssertion } from "../../src/identity/steam-openid.ts";
import { createLogger } from "../../src/logger.ts";
import type { WebDeps } from "../../src/web/deps.ts";
import { startWebServer } from "../../src/web/server.ts";
import { FakeSteam } from "../fakes/steam/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { steamId as newSteamId } from "../helpers/fixtures.ts";
import { continueToSteam, openLinkPage, pressContinue } from "../helpers/link-page.ts";

const SUCCESS = (steamId: string) => `Linked Steam account ${steamId} to your Discord account. You can close this page and return to Discord.`;
const LINK_EXPIRED = "This link has expired or was already used. Run /link in Discord again.";

let db: TestDatabase;
let steam: FakeSteam;
/** An attacker's own OpenID provider. */
let evil: FakeSteam;
let web: { port: number; close(): Promise<void> };
let deps: WebDeps;
let base: string;
const logLines: string[] = [];
/** Every link token, state, signature and callback query seen: none may reach the logs. */
const secrets = new Set<string>();
let discordCounter = 0;

const sink = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    logLines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    callback();
  },
});

function config(publicBaseUrl: string) {
  return parseConfig({ NODE_ENV: "test", LOG_LEVEL: "debug", PUBLIC_BASE_URL: publicBaseUrl, STEAM_OPENID_ENDPOINT: steam.endpoint });
}

beforeAll(async () => {
  db = await createTestDatabase();
  steam = await FakeSteam.start();
  evil = await FakeSteam.start();
});

afterAll(async () => {
  await steam?.close();
  await evil?.close();
  await db?.dispose();
});

// A sidecar per test: the per-IP login rate limit (30 a minute) lives in the app. PUBLIC_BASE_URL must be the
// sidecar's own URL, known after listening: the routes read deps.config per request, so it is set afterwards.
beforeEach(async () => {
  steam.reset();
  evil.reset();
  deps = { config: config("http://placeholder.invalid"), prisma: db.prisma, logger: createLogger({ level: "debug" }, sink), stripe: undefined, notifier: undefined };
  web = await startWebServer(deps, 0, "127.0.0.1");
  base = `http://127.0.0.1:${web.port}`;
  deps.config = config(base);
});

afterEach(async () => {
  await web.close();
});

function discordUser(): string {
  return String(300_000_000_000_000_000n + BigInt(++discordCounter));
}

async function linkToken(discordUserId: string, ttlMs = 10 * 60_000): Promise<string> {
  const { token } = await createOneTimeToken(db.prisma, { purpose: "LINK_DISCORD", subject: discordUserId, ttlMs });
  secrets.add(token);
  return token;
}

interface Login {
  /** Where the sidecar redirected the browser: Steam's checkid_setup URL. */
  loginUrl: string;
  /** The Cookie header value the browser now sends to /auth. */
  cookie: string;
  setCookie: string;
  state: string;
}

async function startLogin(discordUserId: string): Promise<Login> {
  const token = await linkToken(discordUserId);
  const confirm = await openLinkPage(`${base}/auth/link/${token}`);
  expect(confirm.status).toBe(200);
  secrets.add(confirm.form!.fields.get("csrf")!);
  const res = await pressContinue(confirm);
  expect(res.status).toBe(303);
  const loginUrl = res.headers.get("location")!;
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("rp_state="))!;
  expect(setCookie).toBeDefined();
  const cookie = setCookie.split(";")[0]!;
  const state = new URL(new URL(loginUrl).searchParams.get("openid.return_to")!).searchParams.get("state")!;
  secrets.add(state);
  return { loginUrl, cookie, setCookie, state };
}

async function visit(url: string, cookie?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const parsed = new URL(url);
  parsed.searchParams.getAll("openid.sig").forEach((sig) => secrets.add(sig));
  if (parsed.search.length > 1) secrets.add(parsed.search.slice(1));
  const res = await fetch(url, { redirect: "manual", ...(cookie !== undefined && { headers: { cookie } }) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** The callback URL's query moved onto another origin+path (the sidecar's callback). */
function onCallback(url: string): string {
  return `${base}/auth/steam/callback${new URL(url).search}`;
}

/** Edits a query parameter in place, keeping the order of the others. */
function withParam(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.href;
}

async function linkedSteamId(discordUserId: string): Promise<string | undefined> {
  return (await findLinkedUser(db.prisma, discordUserId))?.steamId;
}

/** Reasons logged for rejected logins since `from` (an index into logLines). */
function rejections(from: number): string[] {
  return logLines
    .slice(from)
    .map((line) => JSON.parse(line) as { outcome?: string; reason?: string })
    .filter((entry) => entry.outcome === "rejected")
    .map((entry) => entry.reason ?? "");
}

describe("Steam login: the honest path", () => {
  it("links the Discord user to the Steam id Steam vouched for, through the provider's redirect", async () => {
    const discordUserId = discordUser();
    const steamId = newSteamId();
    const login = await startLogin(discordUserId);

    steam.autoApprove = steamId;
    const atSteam = await fetch(login.loginUrl, { redirect: "manual" });
    expect(atSteam.status).toBe(302);
    const callbackUrl = atSteam.headers.get("location")!;
    expect(callbackUrl.startsWith(`${base}/auth/steam/callback?state=`)).toBe(true);

    const page = await visit(callbackUrl, login.cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.text).toContain(SUCCESS(steamId));
    expect(page.text).not.toMatch(/<script/i);
    expect(page.headers.getSetCookie().some((c) => /^rp_state=;.*Max-Age=0/.test(c))).toBe(true);
    expect(steam.checks).toBe(1);

    const account = await db.prisma.account.findUnique({
      where: { provider_providerAccountId: { provider: "discord", providerAccountId: discordUserId } },
      include: { user: true },
    });
    expect(account?.user.steamId).toBe(steamId);
    // The link token and the login state are spent.
    expect(await db.prisma.oneTimeToken.count({ where: { purpose: { in: ["LINK_DISCORD", "LOGIN_STATE"] }, subject: discordUserId } })).toBe(0);
  });

  it("redirects to Steam with return_to on PUBLIC_BASE_URL, the realm, and the state bound to an HttpOnly cookie", async () => {
    const login = await startLogin(discordUser());
    const url = new URL(login.loginUrl);
    expect(url.origin + url.pathname).toBe(steam.endpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      "openid.ns": "http://specs.openid.net/auth/2.0",
      "openid.mode": "checkid_setup",
      "openid.claimed_id": "http://specs.openid.net/auth/2.0/identifier_select",
      "openid.identity": "http://specs.openid.net/auth/2.0/identifier_select",
      "openid.return_to": `${base}/auth/steam/callback?state=${login.state}`,
      "openid.realm": base,
    });
    expect(login.cookie).toBe(`rp_state=${login.state}`);
    const attributes = login.setCookie.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/auth"]));
    expect(attributes).not.toContain("secure"); // http in this test
  });

  it("builds URLs from PUBLIC_BASE_URL, never the Host header, and marks the cookies Secure on https", async () => {
    deps.config = config("https://bot.example.com");
    const token = await linkToken(discordUser());
    const send = (method: string, path: string, headers: Record<string, string>, body = "") =>
      new Promise<{ status: number; location: string; setCookie: string[]; text: string }>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: web.port, method, path, headers: { host: "evil.example", ...headers } }, (r) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c));
          r.on("end", () =>
            resolve({ status: r.statusCode ?? 0, location: r.headers.location ?? "", setCookie: r.headers["set-cookie"] ?? [], text: Buffer.concat(chunks).toString() }),
          );
        });
        req.on("error", reject);
        req.end(body);
      });
    const shown = await send("GET", `/auth/link/${token}`, {});
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('<form method="post" action="https://bot.example.com/auth/link">');
    expect(shown.setCookie[0]).toMatch(/^rp_confirm=.*; SameSite=Strict; Secure$/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(shown.text)![1]!;
    secrets.add(csrf);
    const body = new URLSearchParams({ token, csrf }).toString();
    const res = await send("POST", "/auth/link", { cookie: `rp_confirm=${csrf}`, "content-type": "application/x-www-form-urlencoded" }, body);
    expect(res.status).toBe(303);
    const params = new URL(res.location).searchParams;
    expect(params.get("openid.return_to")).toMatch(/^https:\/\/bot\.example\.com\/auth\/steam\/callback\?state=[\w-]+$/);
    expect(params.get("openid.realm")).toBe("https://bot.example.com");
    expect(res.location).not.toContain("evil.example");
    expect(res.setCookie.find((c) => c.startsWith("rp_state="))).toMatch(/; Secure/);
    secrets.add(new URL(params.get("openid.return_to")!).searchParams.get("state")!);
  });

  it("a HEAD or GET on the link (a link checker, a prefetch) does not spend the token", async () => {
    const discordUserId = discordUser();
    const token = await linkToken(discordUserId);
    const head = await fetch(`${base}/auth/link/${token}`, { method: "HEAD", redirect: "manual" });
    expect(head.status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await openLinkPage(`${base}/auth/link/${token}`)).status).toBe(200);
    expect((await continueToSteam(`${base}/auth/link/${token}`)).status).toBe(303);
  });
});

describe("Steam login: the link token", () => {
  it("a POST to the confirm form spends the token only with the cookie its page set (no cross-site button presses)", async () => {
    const discordUserId = discordUser();
    const token = await linkToken(discordUserId);
    const page = await openLinkPage(`${base}/auth/link/${token}`);
    const other = await openLinkPage(`${base}/auth/link/${token}`);
    secrets.add(page.form!.fields.get("csrf")!).add(other.form!.fields.get("csrf")!);
    const from = logLines.length;
    for (const cookie of ["", other.cookie, `${page.cookie}; ${other.cookie}`]) {
      const res = await pressContinue(page, { cookie });
      expect(res.status, cookie).toBe(400);
      expect(res.headers.get("location")).toBeNull();
    }
    expect((await pressContinue(page, { fields: new URLSearchParams({ token }) })).status).toBe(400);
    expect(rejections(from)).toEqual(Array(4).fill("confirm cookie missing or does not match"));
    expect(await db.prisma.oneTimeToken.count({ where: { purpose: "LINK_DISCORD", subject: discordUserId } })).toBe(1);
    expect((await pressContinue(page)).status).toBe(303);
    // Spent: the same press again, or the page, says the link is used.
    const again = await pressContinue(page);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain(LINK_EXPIRED);
  });

  it("a display name with bidi controls cannot turn the @username shown after it around", async () => {
    // U+202E (right-to-left override) in a display name would show "(@ecila)" as "(alice@)" next to "Alice".
    const discordUserId = discordUser();
    const payload = { username: "ecila", globalName: "Alice \u202E", avatar: null };
    const { token } = await createOneTimeToken(db.prisma, { purpose: "LINK_DISCORD", subject: discordUserId, ttlMs: 60_000, payload });
    secrets.add(token);
    const page = await openLinkPage(`${base}/auth/link/${token}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Continue to Steam as Alice (@ecila)");
    expect(page.html).not.toMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
  });

  it("names a link made before profiles were stored by its Discord id", async () => {
    const discordUserId = discordUser();
    const page = await openLinkPage(`${base}/auth/link/${await linkToken(discordUserId)}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`Continue to Steam as Discord account ${discordUserId}`);
    expect(page.html).toContain("https://cdn.discordapp.com/embed/avatars/");
  });

  it("answers 400 for garbage, unknown and wrong-purpose tokens", async () => {
    const stateToken = (await createOneTimeToken(db.prisma, { purpose: "LOGIN_STATE", subject: discordUser(), ttlMs: 60_000 })).token;
    secrets.add(stateToken);
    for (const token of ["garbage", "A".repeat(43), "%00%0d%0a", "..%2f..%2fetc", stateToken]) {
      const page = await visit(`${base}/auth/link/${token}`);
      expect(page.status, token).toBe(400);
      expect(page.text).toContain(LINK_EXPIRED);
      expect(page.headers.getSetCookie()).toEqual([]);
    }
  });

  it("refuses an expired link token", async () => {
    const discordUserId = discordUser();
    const token = await linkToken(discordUserId, -1_000);
    const page = await visit(`${base}/auth/link/${token}`);
    expect(page.status).toBe(400);
    expect(page.text).toContain(LINK_EXPIRED);
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });

  it("refuses a link token used twice", async () => {
    const discordUserId = discordUser();
    const token = await linkToken(discordUserId);
    expect((await continueToSteam(`${base}/auth/link/${token}`)).status).toBe(303);
    const again = await visit(`${base}/auth/link/${token}`);
    expect(again.status).toBe(400);
    expect(again.text).toContain(LINK_EXPIRED);
    expect(again.headers.get("location")).toBeNull();
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });
});

describe("Steam login: attacks on the callback are rejected and nothing is linked", () => {
  it("replay of the same callback URL: the nonce is used once, even if the provider would confirm it again", async () => {
    const discordUserId = discordUser();
    const steamId = newSteamId();
    const login = await startLogin(discordUserId);
    const callbackUrl = steam.approve(login.loginUrl, steamId);
    expect((await visit(callbackUrl, login.cookie)).status).toBe(200);

    steam.rememberCheckedNonces = false; // only our own (database) nonce store stands in the way
    const from = logLines.length;
    const replay = await visit(callbackUrl, login.cookie);
    expect(replay.status).toBe(400);
    expect(replay.text).not.toContain("Linked");
    expect(rejections(from)).toEqual(["nonce already used"]);

    steam.rememberCheckedNonces = true; // and real Steam refuses too
    const again = await visit(callbackUrl, login.cookie);
    expect(again.status).toBe(400);
    expect(rejections(from)).toEqual(["nonce already used", "assertion not valid"]);
    expect(await linkedSteamId(discordUserId)).toBe(steamId);
  });

  it("replay of someone's callback into another login session: the signed return_to carries the other state", async () => {
    const victim = discordUser();
    const victimSteamId = newSteamId();
    const victimLogin = await startLogin(victim);
    const victimCallback = steam.approve(victimLogin.loginUrl, victimSteamId);
    expect((await visit(victimCallback, victimLogin.cookie)).status).toBe(200);

    const attacker = discordUser();
    const attackerLogin = await startLogin(attacker);
    steam.rememberCheckedNonces = false;
    const from = logLines.length;
    const page = await visit(withParam(victimCallback, "state", attackerLogin.state), attackerLogin.cookie);
    expect(page.status).toBe(400);
    expect(rejections(from)).toEqual(["return_to query does not match"]);
    expect(await linkedSteamId(attacker)).toBeUndefined();
    expect(steam.checks).toBe(1); // the victim's own login only
  });

  it("a Steam id swapped into claimed_id and identity after signing", async () => {
    const discordUserId = discordUser();
    const login = await startLogin(discordUserId);
    const honest = steam.approve(login.loginUrl, newSteamId());
    const other = `https://steamcommunity.com/openid/id/${newSteamId()}`;
    const forged = withParam(withParam(honest, "openid.claimed_id", other), "openid.identity", other);
    const from = logLines.length;
    const page = await visit(forged, login.cookie);
    expect(page.status).toBe(400);
    expect(rejections(from)).toEqual(["assertion not valid"]);
    expect(steam.checkResults).toEqual([false]);
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });

  it("a claimed_id on a foreign host (or not https, or not a Steam id)", async () => {
    const discordUserId = discordUser();
    const login = await startLogin(discordUserId);
    const honest = steam.approve(login.loginUrl, newSteamId());
    const steamId = newSteamId();
    for (const claimed of [
      `https://evil.example/openid/id/${steamId}`,
      `https://steamcommunity.com.evil.example/openid/id/${steamId}`,
      `http://steamcommunity.com/openid/id/${steamId}`,
      `https://steamcommunity.com/openid/id/${steamId}/`,
      "https://steamcommunity.com/openid/id/12345678901234567",
    ]) {
      const from = logLines.length;
      const page = await visit(withParam(withParam(honest, "openid.claimed_id", claimed), "openid.identity", claimed), login.cookie);
      expect(page.status, claimed).toBe(400);
      expect(rejections(from)).toEqual(["invalid claimed_id"]);
    }
    const mismatch = await visit(withParam(honest, "openid.identity", `https://steamcommunity.com/openid/id/${steamId}`), login.cookie);
    expect(mismatch.status).toBe(400);
    expect(steam.checks).toBe(0);
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });

  it("an assertion from a foreign OpenID provider (op_endpoint)", async () => {
    const discordUserId = discordUser();
    const login = await startLogin(discordUserId);
    // The attacker's provider signs whatever it likes, for our return_to and state.
    const atEvil = new URL(evil.endpoint);
    atEvil.search = new URL(login.loginUrl).search;
    const forged = evil.approve(atEvil.href, newSteamId());
    const from = logLines.length;
    expect((await visit(forged, login.cookie)).status).toBe(400);
    // Steam's own assertion with op_endpoint pointed elsewhere.
    const rewritten = withParam(steam.approve(login.loginUrl, newSteamId()), "openid.op_endpoint", evil.endpoint);
    expect((await visit(rewritten, login.cookie)).status).toBe(400);
    expect(rejections(from)).toEqual(["foreign op_endpoint", "foreign op_endpoint"]);
    expect(evil.checks + steam.checks).toBe(0);
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });

  it("an assertion whose signed return_to is another site's", async () => {
    const discordUserId = discordUser();
    const login = await startLogin(discordUserId);
    const foreign = new URL(login.loginUrl);
    foreign.searchParams.set("openid.return_to", `http://evil.example/auth/steam/callback?state=${login.state}`);
    foreign.searchParams.set("openid.realm", "http://evil.example");
    const assertion = steam.approve(foreign.href, newSteamId());
    const from = logLines.length;
    const page = await visit(onCallback(assertion), login.cookie);
    expect(page.status).toBe(400);
    expect(rejections(from)).toEqual(["foreign return_to"]);
    expect(steam.checks).toBe(0);
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });

  it("a state swap: the cookie from one login, the query state from another; the state survives for its own browser", async () => {
    const alice = discordUser();
    const bob = discordUser();
    const aliceLogin = await startLogin(alice);
    const bobLogin = await startLogin(bob);
    const bobSteamId = newSteamId();
    const bobCallback = steam.approve(bobLogin.loginUrl, bobSteamId);

    const from = logLines.length;
    const swapped = await visit(bobCallback, aliceLogin.cookie);
    expect(swapped.status).toBe(400);
    expect(swapped.text).toContain("started in another browser");
    expect(rejections(from)).toEqual(["state does not match cookie"]);
    expect(steam.checks).toBe(0);
    expect(await linkedSteamId(alice)).toBeUndefined();
    expect(await linkedSteamId(bob)).toBeUndefined();

    // The mismatch spent neither state: Bob's own browser still completes his login.
    expect((await visit(bobCallback, bobLogin.cookie)).text).toContain(SUCCESS(bobSteamId));
  });

  it("a callback without the state cookie, with two of them, or without a state", async () => {
    const discordUserId = discordUser();
    const login = await startLogin(discordUserId);
    const callbackUrl = steam.approve(login.loginUrl, newSteamId());
    const from = logLines.length;
    expect((await visit(callbackUrl)).status).toBe(400);
    expect((await visit(callbackUrl, "other=1; rp_state=")).status).toBe(400);
    expect((await visit(callbackUrl, `rp_state=planted; ${login.cookie}`)).status).toBe(400);
    const stateless = new URL(callbackUrl);
    stateless.searchParams.delete("state");
    expect((await visit(stateless.href, login.cookie)).status).toBe(400);
    expect(rejections(from)).toEqual(["missing state cookie", "state does not match cookie", "duplicated state cookie", "missing state"]);
    expect(steam.checks).toBe(0);
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });

  it("parameter pollution: a duplicated openid.claimed_id (also percent-encoded) or state", async () => {
    const discordUserId = discordUser();
    const login = await startLogin(discordUserId);
    const callbackUrl = steam.approve(login.loginUrl, newSteamId());
    const other = encodeURIComponent(`https://steamcommunity.com/openid/id/${newSteamId()}`);
    const from = logLines.length;
    for (const extra of [`openid.claimed_id=${other}`, `openid%2Eclaimed_id=${other}`, `state=${login.state}`, `openid.mode=id_res`]) {
      const page = await visit(`${callbackUrl}&${extra}`, login.cookie);
      expect(page.status, extra).toBe(400);
    }
    const first = new URL(callbackUrl);
    const polluted = `${first.origin}${first.pathname}?openid.claimed_id=${other}&${first.search.slice(1)}`;
    expect((await visit(polluted, login.cookie)).status).toBe(400);
    expect(rejections(from)).toEqual(Array(5).fill("duplicated parameter"));
    expect(steam.checks).toBe(0);
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });

  it("a stale assertion (nonce older than five minutes)", async () => {
    const discordUserId = discordUser();
    const login = await startLogin(discordUserId);
    const old = steam.approve(login.loginUrl, newSteamId(), { issuedAt: new Date(Date.now() - 10 * 60_000) });
    const from = logLines.length;
    expect((await visit(old, login.cookie)).status).toBe(400);
    expect(rejections(from)).toEqual(["stale nonce"]);
    expect(steam.checks).toBe(0);
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });

  it("an expired login state, even with a valid assertion and a matching cookie", async () => {
    const discordUserId = discordUser();
    const login = await startLogin(discordUserId);
    await db.prisma.oneTimeToken.updateMany({ where: { purpose: "LOGIN_STATE", subject: discordUserId }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const from = logLines.length;
    const page = await visit(steam.approve(login.loginUrl, newSteamId()), login.cookie);
    expect(page.status).toBe(400);
    expect(rejections(from)).toEqual(["state expired or already used"]);
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });

  it("cancel at Steam: nothing linked, and the login state is spent", async () => {
    const discordUserId = discordUser();
    const login = await startLogin(discordUserId);
    const page = await visit(steam.cancel(login.loginUrl), login.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Login cancelled; nothing was linked.");
    expect(page.headers.getSetCookie().some((c) => /^rp_state=;.*Max-Age=0/.test(c))).toBe(true);
    expect(steam.checks).toBe(0);
    const later = await visit(steam.approve(login.loginUrl, newSteamId()), login.cookie);
    expect(later.status).toBe(400);
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });

  it("a provider that resets, fails, redirects or answers too much: 502, nothing linked", async () => {
    const discordUserId = discordUser();
    const login = await startLogin(discordUserId);
    const from = logLines.length;
    for (const failure of ["reset", "status-500", "redirect", "huge"] as const) {
      steam.checkFailure = failure;
      const page = await visit(steam.approve(login.loginUrl, newSteamId()), login.cookie);
      expect(page.status, failure).toBe(502);
      expect(page.text).not.toContain(steam.endpoint);
    }
    expect(rejections(from)).toEqual(["provider unreachable", "provider error", "provider unreachable", "provider error"]);
    expect(steam.checks).toBe(4); // the redirect was not followed
    expect(await linkedSteamId(discordUserId)).toBeUndefined();
  });
});

describe("verifySteamAssertion", () => {
  const returnTo = "http://rp.example/auth/steam/callback";
  const loginUrl = () => {
    const url = new URL(steam.endpoint);
    url.search = new URLSearchParams({
      "openid.ns": "http://specs.openid.net/auth/2.0",
      "openid.mode": "checkid_setup",
      "openid.claimed_id": "http://specs.openid.net/auth/2.0/identifier_select",
      "openid.identity": "http://specs.openid.net/auth/2.0/identifier_select",
      "openid.return_to": `${returnTo}?state=s`,
      "openid.realm": "http://rp.example",
    }).toString();
    return url.href;
  };
  const verify = (callbackUrl: string) =>
    verifySteamAssertion({ endpoint: steam.endpoint, expectedReturnTo: returnTo, rawQuery: new URL(callbackUrl).search });
  const edit = (callbackUrl: string, change: (params: URLSearchParams) => void) => {
    const url = new URL(callbackUrl);
    change(url.searchParams);
    return url.href;
  };

  it("accepts Steam's assertion once and returns the Steam id and nonce", async () => {
    const steamId = newSteamId();
    const callbackUrl = steam.approve(loginUrl(), steamId);
    expect(await verify(callbackUrl)).toEqual({ ok: true, steamId, nonce: new URL(callbackUrl).searchParams.get("openid.response_nonce") });
    expect(await verify(callbackUrl)).toEqual({ ok: false, reason: "assertion not valid" });
  });

  it("refuses malformed assertions with their own reasons, without asking the provider", async () => {
    const good = steam.approve(loginUrl(), newSteamId());
    const cases: [string, (p: URLSearchParams) => void][] = [
      ["unexpected mode", (p) => p.set("openid.mode", "check_authentication")],
      ["wrong namespace", (p) => p.set("openid.ns", "http://openid.net/signon/1.1")],
      ["foreign op_endpoint", (p) => p.set("openid.op_endpoint", "https://steamcommunity.com/openid/login")],
      ["foreign return_to", (p) => p.set("openid.return_to", "http://rp.example/auth/steam/callback/evil?state=s")],
      ["return_to query does not match", (p) => p.set("state", "t")],
      ["unexpected parameter", (p) => p.set("next", "https://evil.example")],
      ["missing signature", (p) => p.delete("openid.sig")],
      ["required field not signed", (p) => p.set("openid.signed", "signed,op_endpoint,claimed_id,identity,return_to,response_nonce")],
      ["signed field missing", (p) => p.set("openid.signed", `${p.get("openid.signed")},invite_code`)],
      ["malformed nonce", (p) => p.set("openid.response_nonce", "yesterday")],
      ["malformed nonce", (p) => p.set("openid.response_nonce", "2026-02-31T00:00:00Zabc")],
      ["stale nonce", (p) => p.set("openid.response_nonce", `${new Date(Date.now() + 10 * 60_000).toISOString().slice(0, 19)}Zabc`)],
    ];
    for (const [reason, change] of cases) expect(await verify(edit(good, change)), reason).toEqual({ ok: false, reason });
    expect(steam.checks).toBe(0);
  });

  it("times out against a provider that never answers", async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const callbackUrl = steam.approve(loginUrl(), newSteamId());
    const result = await verifySteamAssertion({ endpoint: steam.endpoint, expectedReturnTo: returnTo, rawQuery: new URL(callbackUrl).search, fetchImpl: hang, timeoutMs: 20 });
    expect(result).toEqual({ ok: false, reason: "provider unreachable" });
  });
});

describe("Steam login: logs", () => {
  it("log outcomes with reasons, never tokens, states, cookies, signatures or query strings", async () => {
    const discordUserId = discordUser();
    const steamId = newSteamId();
    const login = await startLogin(discordUserId);
    const callbackUrl = steam.approve(login.loginUrl, steamId);
    await visit(callbackUrl); // no cookie
    await visit(`${callbackUrl}&state=x`, login.cookie);
    expect((await visit(callbackUrl, login.cookie)).status).toBe(200);
    await visit(callbackUrl, login.cookie); // replay
    await visit(`${base}/auth/link/${await linkToken(discordUser(), -1)}`);

    const text = logLines.join("\n");
    expect(text).toContain('"outcome":"linked"');
    expect(text).toContain('"reason":"missing state cookie"');
    expect(secrets.size).toBeGreaterThan(3);
    for (const secret of secrets) expect(text.includes(secret), "a secret reached the logs").toBe(false);
    expect(text).not.toContain("rp_state");
    expect(text).not.toContain("openid");
    expect(text).not.toMatch(/"path":"[^"]*\/link\/(?!:token")/);
  });
});
