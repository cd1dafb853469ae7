// Device pairing end to end: /credentials code in the fake Discord, the companion tool played by fetch against
// a sidecar run as `start:web` runs it (its own app, no Discord client, no hook into the bot's listener), and
// the bot picking the credentials up with its periodic sync, then receiving a push with them.
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { hashToken } from "../../src/identity/one-time-tokens.ts";
import { openCredentials } from "../../src/rustplus/credentials-store.ts";
import type { WebDeps } from "../../src/web/deps.ts";
import { startWebServer } from "../../src/web/server.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { fcmConfig, pairingPush } from "../helpers/fcm-config.ts";
import { capturedLogger } from "../helpers/logs.ts";

const CODE_REJECTED = "This code is invalid, expired or already used. Run /credentials code in Discord for a new one.";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let web: Awaited<ReturnType<typeof startWebServer>>;
let base: string;
const sidecar = capturedLogger();

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Devices" }).id;
  bot = await startTestBot(fake);
  const deps: WebDeps = { config: parseConfig({ NODE_ENV: "test" }), prisma: bot.db.prisma, logger: sidecar.logger, stripe: undefined, notifier: undefined, secrets: bot.ctx.secrets };
  web = await startWebServer(deps, 0, "127.0.0.1");
  base = `http://127.0.0.1:${web.port}`;
});
afterAll(async () => {
  await web?.close();
  await bot?.stop();
  await fake?.close();
});

async function player() {
  const discordUser = fake.createUser();
  const user = await linkUser(bot.db.prisma, discordUser.id);
  return { discordUser, user };
}

async function issueCode(discordUser: ReturnType<FakeDiscord["createUser"]>) {
  const reply = await (await fake.sendCommand({ guildId, name: "credentials", subcommand: "code", user: discordUser })).reply();
  expect(reply.ephemeral).toBe(true);
  const code = /`([A-Z0-9]{4}-[A-Z0-9]{4})`/.exec(reply.content)?.[1];
  expect(code).toBeDefined();
  return { code: code!, reply };
}

function post(body: unknown, init: { contentType?: string; raw?: string; url?: string } = {}) {
  return fetch(init.url ?? `${base}/api/device-pairing`, {
    method: "POST",
    headers: { "content-type": init.contentType ?? "application/json" },
    body: init.raw ?? JSON.stringify(body),
  });
}

async function expectRejected(res: Response, status: number, reason: string, error?: string | RegExp) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: string; reason: string };
  expect(body.reason).toBe(reason);
  if (typeof error === "string") expect(body.error).toBe(error);
  else if (error) expect(body.error).toMatch(error);
}

describe("device pairing", () => {
  it("hands credentials over with a one-time code: stored encrypted, listened with, and told in Discord", async () => {
    const { discordUser, user } = await player();
    await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: discordUser, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
    const { code, reply } = await issueCode(discordUser);
    expect(reply.content).toContain("http://localhost:3000/api/device-pairing");
    const [pairing] = await bot.db.prisma.devicePairing.findMany({ where: { userId: user.id } });
    expect(pairing?.codeHash).toBe(hashToken(code.replace("-", "")));
    expect(JSON.stringify(pairing)).not.toContain(code.replace("-", ""));

    const androidId = "1111222233334444555";
    const res = await post({ code: code.toLowerCase(), credentials: fcmConfig(user.steamId, { androidId, securityToken: "7777666655554444" }), label: "Gaming PC" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { steamId: string; expiresAt: string };
    expect(body.steamId).toBe(user.steamId);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);

    const row = await bot.db.prisma.fcmCredential.findUniqueOrThrow({ where: { userId: user.id } });
    expect(Buffer.from(row.blobEncrypted).toString("latin1")).not.toContain("7777666655554444");
    expect(openCredentials(bot.ctx.secrets, row)).toMatchObject({ androidId, securityToken: "7777666655554444" });
    expect(await bot.db.prisma.devicePairing.findUniqueOrThrow({ where: { id: pairing!.id } })).toMatchObject({ label: "Gaming PC", activatedAt: expect.any(Date) });

    // The sidecar is another process: the bot learns of the credentials at its next fleet round, which claims
    // the user (no process held them) and starts their listener.
    expect(bot.pushFeed.running.has(androidId)).toBe(false);
    await bot.fleet.round();
    expect(bot.pushFeed.running.get(androidId)?.securityToken).toBe("7777666655554444");
    bot.pushFeed.deliver(androidId, pairingPush("0:1%device", user.steamId));
    await bot.pushes.drained();
    await bot.notifier.idle();

    const status = fake.channels(guildId).find((c) => c.name === "server-status")!.id;
    const embeds = fake.messages(status).flatMap((m) => m.embeds);
    expect(embeds.filter((e) => e.title === "Rust+ credentials received").map((e) => e.description)).toEqual([
      `The companion tool (Gaming PC) sent push credentials for Steam account ${user.steamId}. They are stored encrypted, and the bot listens with them from now on.`,
    ]);
    // The push arrived through the new credentials: the server it paired is recorded and announced.
    expect(await bot.db.prisma.pairedServer.count({ where: { userId: user.id, ip: "203.0.113.7", port: 28083 } })).toBe(1);
    expect(embeds.some((e) => e.description?.startsWith("Paired with Rustopia EU Main"))).toBe(true);

    // Single use.
    await expectRejected(await post({ code, credentials: fcmConfig(user.steamId) }), 404, "invalid_code", CODE_REJECTED);
    const logged = JSON.stringify(sidecar.logs);
    for (const secret of [code, code.replace("-", ""), "7777666655554444", androidId]) expect(logged).not.toContain(secret);
    expect(sidecar.logs.filter((l) => l["msg"] === "device pairing").map((l) => l["outcome"])).toEqual(["paired", "rejected"]);
  });

  it("rejects unknown, expired and replaced codes, another Steam account's credentials and expired ones, storing nothing", async () => {
    const { discordUser, user } = await player();
    const credentials = fcmConfig(user.steamId);
    await expectRejected(await post({ code: "ABCD-EFGH", credentials }), 404, "invalid_code", CODE_REJECTED);

    const replaced = await issueCode(discordUser);
    const { code } = await issueCode(discordUser);
    await expectRejected(await post({ code: replaced.code, credentials }), 404, "invalid_code", CODE_REJECTED);

    await expectRejected(
      await post({ code, credentials: fcmConfig("76561198999999999") }),
      422,
      "steam_account_mismatch",
      "These credentials belong to a different Steam account than the one linked with /link. Register with the linked account, then send them again.",
    );
    await expectRejected(await post({ code, credentials: fcmConfig(user.steamId, { exp: Math.floor(Date.now() / 1000) - 60 }) }), 422, "credentials_expired", /already expired/);
    expect(await bot.db.prisma.fcmCredential.count({ where: { userId: user.id } })).toBe(0);

    // Neither spent the code; time does.
    await bot.db.prisma.devicePairing.updateMany({ where: { userId: user.id, activatedAt: null }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await expectRejected(await post({ code, credentials }), 404, "invalid_code", CODE_REJECTED);
    expect(await bot.db.prisma.fcmCredential.count({ where: { userId: user.id } })).toBe(0);
    expect(await bot.db.prisma.notificationOutbox.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses malformed requests with a clear 4xx, without spending the code", async () => {
    const { discordUser, user } = await player();
    const { code } = await issueCode(discordUser);
    const credentials = fcmConfig(user.steamId);
    const notJson = await post(undefined, { raw: "{ not json" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "Bad request: the body is not valid JSON." });
    await expectRejected(await post(undefined, { raw: `code=${code}`, contentType: "application/x-www-form-urlencoded" }), 415, "invalid_request", /as JSON/);
    await expectRejected(await post({ credentials }), 400, "invalid_request", "Bad request: code must be the 8-character code from /credentials code (like ABCD-EFGH).");
    await expectRejected(await post({ code: "0000-1111", credentials }), 400, "invalid_request", /8-character code from \/credentials code/);
    await expectRejected(await post({ code, credentials: "pasted text" }), 400, "invalid_request", /JSON object fcm-register wrote/);
    await expectRejected(await post({ code, credentials: [] }), 400, "invalid_request", /JSON object fcm-register wrote/);
    await expectRejected(await post([code]), 400, "invalid_request", "Bad request: the body must be a JSON object with code and credentials.");
    await expectRejected(await post({ code, credentials, label: "x".repeat(65) }), 400, "invalid_request", /at most 64/);
    await expectRejected(await post({ code, credentials: { fcm_credentials: { gcm: { androidId: "12x", securityToken: "1" } } } }), 400, "invalid_credentials", /don't look right/);
    await expectRejected(await post({ code, credentials: { ...credentials, rustplus_auth_token: undefined } }), 400, "invalid_credentials", /no readable `rustplus_auth_token`/);
    expect(await bot.db.prisma.fcmCredential.count({ where: { userId: user.id } })).toBe(0);

    // The code still works after all that.
    expect((await post({ code, credentials })).status).toBe(201);
  });

  it("lets only one of two simultaneous requests use a code", async () => {
    const { discordUser, user } = await player();
    const { code } = await issueCode(discordUser);
    const statuses = await Promise.all([1, 2].map((n) => post({ code, credentials: fcmConfig(user.steamId, { androidId: `${n}000000000` }) }).then((r) => r.status)));
    expect(statuses.sort()).toEqual([201, 404]);
    expect(await bot.db.prisma.fcmCredential.count({ where: { userId: user.id } })).toBe(1);
  });

  it("gives an unlinked Discord user no code", async () => {
    const reply = await (await fake.sendCommand({ guildId, name: "credentials", subcommand: "code", user: fake.createUser() })).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain("Run `/link`");
  });

  it("answers 503 without an encryption key, and rate-limits the route per client address", async () => {
    const { logger } = capturedLogger();
    const bare = await startWebServer({ config: parseConfig({ NODE_ENV: "test" }), prisma: bot.db.prisma, logger, stripe: undefined, notifier: undefined }, 0, "127.0.0.1");
    try {
      const url = `http://127.0.0.1:${bare.port}/api/device-pairing`;
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push(await post({ code: "ABCD-EFGH", credentials: {} }, { url }).then(async (r) => (await r.arrayBuffer(), r.status)));
      expect(statuses.every((s) => s === 503)).toBe(true);
      await expectRejected(await post({ code: "ABCD-EFGH", credentials: {} }, { url }), 429, "rate_limited");
      expect((await fetch(`http://127.0.0.1:${bare.port}/healthz`)).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
