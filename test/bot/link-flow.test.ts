// The whole link flow a player goes through: /link in Discord → the confirm page → Steam → back → /account,
// and what happens when the Steam account is already another Discord account's: nothing moves until that
// account confirms in its DM (real discord.js against the fake Discord, real HTTP against the sidecar).
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import type { APIMessage, APIUser } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { linkDiscordToSteam } from "../../src/identity/link-account.ts";
import { askToMove } from "../../src/identity/link-confirm.ts";
import { findLinkedUser } from "../../src/identity/linked-user.ts";
import { MOVE_REQUESTED, MOVE_UNREACHABLE } from "../../src/web/steam-login.ts";
import type { WebDeps } from "../../src/web/deps.ts";
import { startWebServer } from "../../src/web/server.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeSteam } from "../fakes/steam/index.ts";
import { startTestBot, type TestBot } from "../helpers/bot.ts";
import { steamId as newSteamId } from "../helpers/fixtures.ts";
import { openLinkPage, pressContinue } from "../helpers/link-page.ts";

let fake: FakeDiscord;
let steam: FakeSteam;
let bot: TestBot;
let web: Awaited<ReturnType<typeof startWebServer>>;
let deps: WebDeps;
let base: string;
let guildId: string;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  steam = await FakeSteam.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = { PUBLIC_BASE_URL: base, STEAM_OPENID_ENDPOINT: steam.endpoint };
  bot = await startTestBot(fake, { env });
  deps = { config: parseConfig(env), prisma: bot.db.prisma, logger: bot.ctx.logger, stripe: undefined, notifier: bot.notifier };
  web = await startWebServer(deps, port, "127.0.0.1");
  guildId = fake.createGuild({ name: "Linkers" }).id;
});
afterAll(async () => {
  await web?.close();
  await bot?.stop();
  await steam?.close();
  await fake?.close();
});

/** The URL of the button in the player's /link answer. */
async function linkUrl(player: APIUser): Promise<string> {
  const reply = await (await fake.sendCommand({ guildId, name: "link", user: player })).reply();
  const url = /"url":"([^"]+)"/.exec(JSON.stringify(reply.components))?.[1];
  expect(url?.startsWith(`${base}/auth/link/`)).toBe(true);
  return url!;
}

/** /link, the confirm page's button, Steam signing in as `steamId`, and the page the sidecar shows at the end. */
async function signIn(player: APIUser, steamId: string): Promise<{ status: number; text: string }> {
  const toSteam = await pressContinue(await openLinkPage(await linkUrl(player)));
  expect(toSteam.status).toBe(303);
  const cookie = toSteam.headers.getSetCookie().find((c) => c.startsWith("rp_state="))!.split(";")[0]!;
  const page = await fetch(steam.approve(toSteam.headers.get("location")!, steamId), { redirect: "manual", headers: { cookie } });
  return { status: page.status, text: await page.text() };
}

const linkedSteam = async (player: APIUser) => (await findLinkedUser(bot.db.prisma, player.id))?.steamId;
const lastDm = (player: APIUser): APIMessage | undefined => fake.dmMessages(player.id).at(-1);
const buttonIds = (message: APIMessage | undefined): string[] =>
  (message?.components ?? []).flatMap((row) => ("components" in row ? (row.components as { custom_id?: string }[]) : [])).flatMap((c) => (c.custom_id ? [c.custom_id] : []));

describe("linking Steam from Discord", () => {
  it("shows whose Discord account the link is for, spends nothing until its button, links the player, and tells them by DM", async () => {
    const player = fake.createUser({ username: "raider", globalName: "Zoë <b>Raider</b>", avatar: "a_0123456789abcdef0123456789abcdef" });
    const steamId = newSteamId();
    const url = await linkUrl(player);

    // A link preview or prefetch (GET, HEAD) and the page itself spend nothing.
    expect((await fetch(url, { method: "HEAD" })).status).toBe(200);
    await openLinkPage(url);
    const confirm = await openLinkPage(url);
    expect(confirm.status).toBe(200);
    expect(confirm.headers.get("location")).toBeNull();
    expect(confirm.html).toContain("Continue to Steam as Zoë &lt;b&gt;Raider&lt;/b&gt; (@raider)");
    expect(confirm.html).not.toContain("<b>Raider");
    expect(confirm.html).toContain(`<img src="https://cdn.discordapp.com/avatars/${player.id}/a_0123456789abcdef0123456789abcdef.png?size=128"`);
    expect(confirm.html).toContain("This is not me.");
    const csp = confirm.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("img-src https://cdn.discordapp.com");
    expect(csp).toContain(`form-action 'self' ${base} ${new URL(steam.endpoint).origin}`);
    expect(csp).toContain("default-src 'none'");

    // Another site's form cannot press the button for the visitor: without the page's cookie nothing is spent.
    expect((await pressContinue(confirm, { cookie: "" })).status).toBe(400);
    const toSteam = await pressContinue(confirm);
    expect(toSteam.status).toBe(303);
    const cookie = toSteam.headers.getSetCookie().find((c) => c.startsWith("rp_state="))!.split(";")[0]!;
    const page = await fetch(steam.approve(toSteam.headers.get("location")!, steamId), { redirect: "manual", headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Linked Steam account ${steamId}`);

    const account = await (await fake.sendCommand({ guildId, name: "account", user: player })).reply();
    expect(JSON.stringify(account.embeds)).toContain(steamId);
    expect(lastDm(player)?.content).toContain(`Your Discord account is now linked to Steam account \`${steamId}\``);
    // The link works once.
    expect((await openLinkPage(url)).status).toBe(400);

    // Linking another Steam account replaces this one, and says so.
    const next = newSteamId();
    expect((await signIn(player, next)).text).toContain(`Linked Steam account ${next}`);
    expect(lastDm(player)?.content).toContain(`It replaces Steam account \`${steamId}\``);
  });

  it("does not move a Steam account linked to another Discord account until that account confirms in its DM", async () => {
    const holder = fake.createUser({ username: "holder" });
    const other = fake.createUser({ username: "other", globalName: "Other One" });
    const steamId = newSteamId();
    expect((await signIn(holder, steamId)).status).toBe(200);
    // The new User starts with INITIAL_CREDITS_FOR_NEW (default 20), granted once: a move below grants nothing.
    const initialGrants = async () =>
      bot.db.prisma.creditLedger.findMany({ where: { user: { steamId } }, select: { delta: true, balance: true, reason: true } });
    expect(await initialGrants()).toEqual([{ delta: 20, balance: 20, reason: "initial" }]);

    const attempt = await signIn(other, steamId);
    expect(attempt.status).toBe(200);
    expect(attempt.text).toContain(MOVE_REQUESTED.slice(0, 80));
    expect(await linkedSteam(holder)).toBe(steamId);
    expect(await linkedSteam(other)).toBeUndefined();

    const request = lastDm(holder)!;
    expect(request.content).toContain(`Someone signed in with your Steam account \`${steamId}\``);
    expect(request.content).toContain("**Other One (@other)**");
    const [confirmId, refuseId] = buttonIds(request);
    expect(confirmId).toMatch(/^link-confirm:confirm:/);
    expect(refuseId).toMatch(/^link-confirm:refuse:/);

    // Someone else pressing the holder's button (a forged press) is refused, privately.
    const forged = await (await fake.clickButton({ guildId, customId: confirmId!, user: other })).reply();
    expect(forged.ephemeral).toBe(true);
    expect(forged.content).toContain("Only the Discord account that holds this Steam account can answer");
    expect(await linkedSteam(holder)).toBe(steamId);

    // Refuse: nothing changes, and the other account is told.
    const refused = await (await fake.clickDmButton({ user: holder, messageId: request.id, customId: refuseId! })).reply();
    expect(refused.content).toContain(`Refused. Steam account \`${steamId}\` stays linked to your Discord account.`);
    expect(buttonIds(refused)).toEqual([]);
    expect(await linkedSteam(holder)).toBe(steamId);
    expect(await linkedSteam(other)).toBeUndefined();
    expect(lastDm(other)?.content).toContain("refused to move it to you");

    // Asked again, the holder confirms, after a restart: the request lives in the database.
    expect((await signIn(other, steamId)).text).toContain(MOVE_REQUESTED.slice(0, 80));
    const second = lastDm(holder)!;
    await bot.restart();
    deps.notifier = bot.notifier; // the sidecar, as in one process, posts with the running bot's REST
    const [confirm2] = buttonIds(second);
    const moved = await (await fake.clickDmButton({ user: holder, messageId: second.id, customId: confirm2! })).reply();
    expect(moved.content).toContain(`Steam account \`${steamId}\` is now linked to **Other One (@other)**`);
    expect(moved.content).toContain("your Discord account is no longer linked to it");
    expect(await linkedSteam(other)).toBe(steamId);
    expect(await linkedSteam(holder)).toBeUndefined();
    expect(lastDm(other)?.content).toContain(`Your Discord account is now linked to Steam account \`${steamId}\``);
    expect(lastDm(other)?.content).toContain(`<@${holder.id}> held this Steam account before and agreed to the move`);
    expect(await initialGrants()).toEqual([{ delta: 20, balance: 20, reason: "initial" }]);
    // A request answered is spent.
    const again = await (await fake.clickButton({ guildId, customId: confirm2!, user: holder })).reply();
    expect(again.content).toContain("expired or was already answered");
  });

  it("a Confirm that comes after the asking account linked another Steam account moves nothing: the request is out of date", async () => {
    const holder = fake.createUser({ username: "late-holder" });
    const asker = fake.createUser({ username: "late-asker" });
    const held = newSteamId();
    // Linked and asked as the Steam callback does (the login pages are rate-limited per address, and tested above).
    await linkDiscordToSteam(bot.db.prisma, { steamId: held, discordUserId: holder.id, initialCredits: 0 });
    const asking = { prisma: bot.db.prisma, notifier: bot.notifier, logger: bot.ctx.logger };
    expect(await askToMove(asking, { steamId: held, owner: holder.id, to: asker.id, toProfile: null })).toBe(true);
    const request = lastDm(holder)!;
    // Meanwhile the asker links a Steam account of their own: that is their latest choice.
    const own = newSteamId();
    await linkDiscordToSteam(bot.db.prisma, { steamId: own, discordUserId: asker.id, initialCredits: 0 });

    const [confirmId] = buttonIds(request);
    const answer = await (await fake.clickDmButton({ user: holder, messageId: request.id, customId: confirmId! })).reply();
    expect(answer.content).toContain("has linked another Steam account since asking");
    expect(await linkedSteam(asker)).toBe(own);
    expect(await linkedSteam(holder)).toBe(held);
  });

  it("moves nothing when the holder cannot be asked, and a DM that cannot be delivered never undoes a link", async () => {
    const holder = fake.createUser({ username: "closed-holder" });
    const other = fake.createUser({ username: "closed-other" });
    const steamId = newSteamId();
    expect((await signIn(holder, steamId)).status).toBe(200);
    fake.setDmsOpen(holder.id, false);
    const attempt = await signIn(other, steamId);
    expect(attempt.status).toBe(409);
    expect(attempt.text).toContain(MOVE_UNREACHABLE.slice(0, 80));
    expect(await linkedSteam(holder)).toBe(steamId);
    expect(await bot.db.prisma.oneTimeToken.count({ where: { purpose: "LINK_CONFIRM", subject: holder.id } })).toBe(0);

    // The player's own DMs are closed: the link still happens, the failed notice is only logged.
    fake.setDmsOpen(other.id, false);
    const fresh = newSteamId();
    expect((await signIn(other, fresh)).text).toContain(`Linked Steam account ${fresh}`);
    expect(await linkedSteam(other)).toBe(fresh);
    expect(bot.logs.some((l) => l.msg === "link notice not delivered" && l.discordUserId === other.id)).toBe(true);
  });
});
