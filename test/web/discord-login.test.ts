// The Discord OAuth2 step of /link (DISCORD_CLIENT_SECRET set), through real HTTP: the sidecar on 127.0.0.1,
// the fake Discord's OAuth2 (authorize page played by its approve/deny, token and @me over HTTP), the fake Steam.
import type { APIUser } from "discord-api-types/v10";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { findLinkedUser } from "../../src/identity/linked-user.ts";
import type { LinkProfile } from "../../src/identity/link-profile.ts";
import { createOneTimeToken } from "../../src/identity/one-time-tokens.ts";
import { buildSteamLoginUrl } from "../../src/identity/steam-openid.ts";
import type { WebDeps } from "../../src/web/deps.ts";
import { startWebServer } from "../../src/web/server.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeSteam } from "../fakes/steam/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { steamId as newSteamId } from "../helpers/fixtures.ts";
import { capturedLogger } from "../helpers/logs.ts";
import { openLinkPage, pressContinue } from "../helpers/link-page.ts";

let db: TestDatabase;
let fake: FakeDiscord;
let steam: FakeSteam;
let web: { port: number; close(): Promise<void> };
let base: string;
let deps: WebDeps;
let logs: Record<string, unknown>[];

function config(publicBaseUrl: string) {
  return parseConfig({
    NODE_ENV: "test", PUBLIC_BASE_URL: publicBaseUrl, STEAM_OPENID_ENDPOINT: steam.endpoint,
    DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_CLIENT_SECRET: fake.oauth2.clientSecret, DISCORD_OAUTH_URL: fake.restUrl,
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeDiscord.start();
  steam = await FakeSteam.start();
});
afterAll(async () => {
  await steam?.close();
  await fake?.close();
  await db?.dispose();
});
beforeEach(async () => {
  const captured = capturedLogger("debug");
  logs = captured.logs;
  deps = { config: config("http://placeholder.invalid"), prisma: db.prisma, logger: captured.logger, stripe: undefined, notifier: undefined };
  web = await startWebServer(deps, 0, "127.0.0.1");
  base = `http://127.0.0.1:${web.port}`;
  deps.config = config(base);
});
afterEach(() => web.close());

const profileOf = (user: APIUser): LinkProfile => ({ username: user.username, globalName: user.global_name ?? null, avatar: user.avatar });

/** The /link page for `owner`, its button pressed: the answer is the redirect to Discord's authorize page. */
async function toDiscord(owner: APIUser) {
  const { token } = await createOneTimeToken(db.prisma, { purpose: "LINK_DISCORD", subject: owner.id, ttlMs: 60_000, payload: profileOf(owner) });
  const confirm = await openLinkPage(`${base}/auth/link/${token}`);
  expect(confirm.html).toContain("You will first be asked to sign in to Discord as this account.");
  expect(confirm.headers.get("content-security-policy")).toContain(`form-action 'self' ${base} ${new URL(steam.endpoint).origin} ${new URL(fake.restUrl).origin}`);
  const res = await pressContinue(confirm);
  expect(res.status).toBe(303);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("rp_state="))!.split(";")[0]!;
  return { authorizeUrl: res.headers.get("location")!, cookie };
}

const rejected = () => logs.filter((l) => l.outcome === "rejected").map((l) => l.reason);

describe("Discord OAuth2 on the link page", () => {
  it("sends the browser to Discord for identify, and on to Steam when the same account signs in; the link is made", async () => {
    const owner = fake.createUser({ username: "owner", globalName: "The Owner" });
    const { authorizeUrl, cookie } = await toDiscord(owner);
    const authorize = new URL(authorizeUrl);
    expect(authorize.origin + authorize.pathname).toBe(`${fake.restUrl}/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: "code", client_id: fake.applicationId, scope: "identify", redirect_uri: `${base}/auth/discord/callback`, state: cookie.slice("rp_state=".length),
    });

    const back = await fetch(fake.oauth2.approve(authorizeUrl, owner), { redirect: "manual", headers: { cookie } });
    expect(back.status).toBe(303);
    const toSteam = back.headers.get("location")!;
    expect(toSteam.startsWith(steam.endpoint)).toBe(true);
    const steamCookie = back.headers.getSetCookie().find((c) => c.startsWith("rp_state="))!.split(";")[0]!;
    expect(steamCookie).not.toBe(cookie); // a new state for the Steam step

    const steamId = newSteamId();
    const done = await fetch(steam.approve(toSteam, steamId), { redirect: "manual", headers: { cookie: steamCookie } });
    expect(await done.text()).toContain(`Linked Steam account ${steamId}`);
    expect((await findLinkedUser(db.prisma, owner.id))?.steamId).toBe(steamId);
    expect(fake.oauth2.tokenRequests).toBeGreaterThan(0);
  });

  it("refuses a browser signed in to Discord as someone else, names both accounts, and links nothing", async () => {
    const owner = fake.createUser({ username: "victim-maker", globalName: "Link Maker" });
    const opener = fake.createUser({ username: "opener", globalName: "Opener" });
    const { authorizeUrl, cookie } = await toDiscord(owner);
    const back = await fetch(fake.oauth2.approve(authorizeUrl, opener), { redirect: "manual", headers: { cookie } });
    expect(back.status).toBe(403);
    expect(back.headers.get("location")).toBeNull();
    expect(await back.text()).toContain("You signed in to Discord as Opener (@opener), but this link was made for Link Maker (@victim-maker). Nothing was linked.");
    expect(rejected()).toEqual(["signed in as another discord account"]);
    expect(await findLinkedUser(db.prisma, owner.id)).toBeNull();
    // The state is spent: the right account cannot reuse this browser's session either.
    const again = await fetch(fake.oauth2.approve(authorizeUrl, owner), { redirect: "manual", headers: { cookie } });
    expect(again.status).toBe(400);
  });

  it("a browser that skips Discord and takes the state straight to Steam is refused", async () => {
    const owner = fake.createUser({ username: "skipper" });
    const { authorizeUrl, cookie } = await toDiscord(owner);
    const state = new URL(authorizeUrl).searchParams.get("state")!;
    const returnTo = `${base}/auth/steam/callback?state=${state}`;
    const loginUrl = buildSteamLoginUrl({ endpoint: steam.endpoint, returnTo, realm: base });
    const res = await fetch(steam.approve(loginUrl, newSteamId()), { redirect: "manual", headers: { cookie } });
    expect(res.status).toBe(400);
    expect(rejected()).toEqual(["state not verified with discord"]);
    expect(await findLinkedUser(db.prisma, owner.id)).toBeNull();
  });

  it("cancel on Discord's page, a forged code, and a callback from another browser link nothing", async () => {
    const owner = fake.createUser({ username: "canceller" });
    const first = await toDiscord(owner);
    const forged = new URL(`${base}/auth/discord/callback`);
    forged.searchParams.set("code", "not-a-code");
    forged.searchParams.set("state", first.cookie.slice("rp_state=".length));
    expect((await fetch(forged, { redirect: "manual", headers: { cookie: first.cookie } })).status).toBe(400);
    const approved = fake.oauth2.approve(first.authorizeUrl, owner);
    expect((await fetch(approved, { redirect: "manual" })).status).toBe(400); // no cookie: another browser
    const cancelled = await fetch(fake.oauth2.deny(first.authorizeUrl), { redirect: "manual", headers: { cookie: first.cookie } });
    expect(await cancelled.text()).toContain("Discord sign-in cancelled; nothing was linked.");
    expect((await fetch(approved, { redirect: "manual", headers: { cookie: first.cookie } })).status).toBe(400);
    expect(rejected()).toEqual(["code refused", "missing state cookie", "state expired or already used"]);
    expect(await findLinkedUser(db.prisma, owner.id)).toBeNull();
    expect(JSON.stringify(logs)).not.toContain(fake.oauth2.clientSecret);
  });
});
