// /metrics, /healthz and /readyz through real HTTP, with the bot (real discord.js and rustplus.js) against the
// fakes: a slash command, a Rust+ socket and the outbox show up in the scrape; readiness follows the database and
// the gateway; /metrics is refused to strangers.
import { networkInterfaces } from "node:os";
import { Writable } from "node:stream";
import { Client } from "discord.js";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { BattleMetricsClient } from "../../src/intel/battlemetrics/client.ts";
import { RequestLimiter } from "../../src/intel/battlemetrics/limiter.ts";
import { serverList, serverWithPlayers } from "../../src/intel/battlemetrics/schemas.ts";
import { createLogger } from "../../src/logger.ts";
import { discordGatewayCheck } from "../../src/metrics/readiness.ts";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { realTimers } from "../../src/rustplus/timers.ts";
import { startWebServer, type WebServer } from "../../src/web/server.ts";
import { FakeBattleMetrics } from "../fakes/battlemetrics/index.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, routeTo, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createTestDatabase } from "../helpers/database.ts";
import { parseExposition, sample } from "../helpers/metrics.ts";

let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let web: WebServer;
let base: string;
const servers: WebServer[] = [];
const logger = createLogger({ level: "silent" }, new Writable({ write: (_c, _e, done) => done() }));

async function scrape(url = base, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return parseExposition(await res.text());
}

async function sidecar(options: { env?: Record<string, string>; prisma?: TestBot["db"]["prisma"]; readiness?: Parameters<typeof startWebServer>[0]["readiness"]; host?: string; stripe?: Stripe }) {
  const server = await startWebServer(
    { config: parseConfig(options.env ?? {}), prisma: options.prisma ?? bot.db.prisma, logger, stripe: options.stripe, notifier: undefined, readiness: options.readiness },
    0,
    options.host ?? "127.0.0.1",
  );
  servers.push(server);
  return server;
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  // The player's bucket holds one request and barely refills: the connection's second request (getTime) is
  // answered rate_limit, which the connection survives (the time is optional).
  rust = await FakeRustServer.start({ limits: { playerBucket: { max: 1, perSecond: 0.001 } } });
  bot = await startTestBot(fake, { rust: { infoEveryMs: 600_000 } });
  web = await sidecar({ readiness: [discordGatewayCheck(bot.client)] });
  base = `http://127.0.0.1:${web.port}`;
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await bot?.stop();
  await rust?.close();
  await fake?.close();
});

describe("GET /metrics", () => {
  it("counts a slash command by command and outcome", async () => {
    const guildId = fake.createGuild({ name: "Metrics Base" }).id;
    const player = fake.createUser();
    const before = sample(await scrape(), "rustplus_bot_interactions_total", { kind: "command", command: "help", outcome: "ok" }) ?? 0;
    await (await fake.sendCommand({ guildId, name: "help", user: player })).reply();
    // A command of a user who has not linked Steam: answered privately as a user error.
    const denied = await (await fake.sendCommand({ guildId, name: "server", subcommand: "list", user: player })).reply();
    expect(denied.flags).toBe(64);
    // Its log line carries the fields every log about a guild or user uses.
    expect(bot.logs.find((l) => l["msg"] === "user error" && l["command"] === "server")).toMatchObject({ guildId, discordUserId: player.id });
    const samples = await scrape();
    expect(sample(samples, "rustplus_bot_interactions_total", { kind: "command", command: "help", outcome: "ok" })).toBe(before + 1);
    expect(sample(samples, "rustplus_bot_interactions_total", { kind: "command", command: "server", outcome: "user_error" })).toBe(1);
    // The process's default metrics come along.
    expect(sample(samples, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
  });

  it("shows live Rust+ sockets by state, and requests and rate_limit answers per Rust server", async () => {
    const user = await linkUser(bot.db.prisma, fake.createUser().id);
    rust.addPlayer(user.steamId, -42);
    const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", "-42");
    const row = await bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Metrics Rust", ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    });
    const states = new Log<ConnectionState>();
    bot.ctx.rust.on("state", (serverId, state) => serverId === row.id && states.push(state));
    expect(await bot.ctx.rust.connect(row.id)).toBe("opened");
    while (states.items.at(-1)?.kind !== "connected") await states.next();

    const server = `127.0.0.1:${rust.port}`;
    const samples = await scrape();
    expect(sample(samples, "rustplus_bot_rustplus_sockets", { state: "connected" })).toBe(1);
    expect(sample(samples, "rustplus_bot_rustplus_sockets", { state: "waiting" })).toBe(0);
    // getInfo, then getTime (refused by the player's bucket).
    expect(sample(samples, "rustplus_bot_rustplus_requests_total", { server })).toBe(2);
    expect(sample(samples, "rustplus_bot_rustplus_rate_limit_answers_total", { server })).toBe(1);
    expect(rust.rateLimited).toBe(1);

    bot.ctx.rust.disconnect(row.id);
    const after = await scrape();
    expect(sample(after, "rustplus_bot_rustplus_sockets", { state: "connected" })).toBe(0);
  });

  it("shows the outbox's depth and oldest age per family, and the latency of posted notifications", async () => {
    const user = await linkUser(bot.db.prisma, fake.createUser().id);
    // Two rows waiting for a retry, the older enqueued 90 s ago (as seen by the database's clock).
    const now = (await bot.db.prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`)[0]!.now.getTime();
    for (const [i, ageMs] of [90_000, 5_000].entries()) {
      await bot.db.prisma.notificationOutbox.create({
        data: { userId: user.id, family: "EVENTS", dedupeKey: `metrics-wait:${i}`, payload: {}, createdAt: new Date(now - ageMs), nextAttemptAt: new Date(now + 3_600_000) },
      });
    }
    let samples = await scrape();
    expect(sample(samples, "rustplus_bot_outbox_pending", { family: "EVENTS" })).toBe(2);
    expect(sample(samples, "rustplus_bot_outbox_oldest_pending_age_seconds", { family: "EVENTS" })).toBeGreaterThanOrEqual(90);
    expect(sample(samples, "rustplus_bot_outbox_pending", { family: "ALARMS" })).toBeUndefined();
    expect(sample(samples, "rustplus_bot_outbox_readable")).toBe(1);

    // An alarm posted to the user's /setup channel: one latency observation for ALARMS.
    const guild = fake.createGuild({ name: "Alarm Base" });
    const guildId = guild.id;
    const channelId = guild.createChannel({ name: "alarms-and-raids" }).id;
    await routeTo(bot.db.prisma, user.id, { guildId, guildName: "Alarm Base", alarmsChannelId: channelId });
    const countBefore = sample(samples, "rustplus_bot_notification_latency_seconds_count", { family: "ALARMS" }) ?? 0;
    await bot.notifier.notify({ userId: user.id, dedupeKey: "metrics-alarm", event: { kind: "alarm", serverName: "Metrics Rust", alarmName: "Front door", at: new Date().toISOString() } });
    await bot.notifier.idle();
    expect(fake.messages(channelId)).toHaveLength(1);
    samples = await scrape();
    expect(sample(samples, "rustplus_bot_notification_latency_seconds_count", { family: "ALARMS" })).toBe(countBefore + 1);
    expect(sample(samples, "rustplus_bot_notification_latency_seconds_bucket", { family: "ALARMS", le: "+Inf" })).toBe(countBefore + 1);
  });

  it("with METRICS_TOKEN: 401 without the bearer token or with a wrong one, 200 with it", async () => {
    const guarded = await sidecar({ env: { METRICS_TOKEN: "scrape-secret-1234" } });
    const url = `http://127.0.0.1:${guarded.port}`;
    const bare = await fetch(`${url}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toContain("Bearer");
    expect((await fetch(`${url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect(sample(await scrape(url, { authorization: "Bearer scrape-secret-1234" }), "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    // The token is the only way in: loopback alone is not enough.
    expect((await fetch(`${url}/metrics`, { headers: { authorization: "Basic scrape-secret-1234" } })).status).toBe(401);
  });

  it("without METRICS_TOKEN: 403 to a request forwarded by a reverse proxy", async () => {
    const res = await fetch(`${base}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(res.status).toBe(403);
    // nginx set up with only `proxy_set_header X-Real-IP $remote_addr;`, and a Cloudflare tunnel, say it other ways.
    for (const headers of [{ "x-real-ip": "203.0.113.9" }, { "cf-connecting-ip": "203.0.113.9" }, { forwarded: "for=203.0.113.9" }, { via: "1.1 proxy" }]) {
      expect((await fetch(`${base}/metrics`, { headers })).status, JSON.stringify(headers)).toBe(403);
    }
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === "IPv4")?.address;
  it.skipIf(!external)("without METRICS_TOKEN: 403 to a client that is not on loopback", async () => {
    const open = await sidecar({ host: external! });
    expect((await fetch(`http://${external}:${open.port}/metrics`)).status).toBe(403);
    expect((await fetch(`http://${external}:${open.port}/healthz`)).status).toBe(200);
  });
});

describe("GET /healthz and /readyz", () => {
  it("/healthz answers 200 while the process runs", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("/readyz is 200 with every check passing when the database answers and the gateway is ready", async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", checks: { database: true, "discord-gateway": true } });
  });

  it("/readyz is 503 naming the gateway until a client has logged in, then 200", async () => {
    const client = new Client({ intents: [], rest: { api: fake.restUrl } });
    const server = await sidecar({ readiness: [discordGatewayCheck(client)] });
    const url = `http://127.0.0.1:${server.port}/readyz`;
    const before = await fetch(url);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: "not ready", checks: { database: true, "discord-gateway": false }, failed: ["discord-gateway"] });
    await client.login(fake.token);
    await fake.waitForReady();
    try {
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await client.destroy();
    }
    expect((await fetch(url)).status).toBe(503);
  });

  it("/readyz is 503 naming the database once it is closed; /healthz stays 200 and /metrics still answers", async () => {
    const db = await createTestDatabase();
    const server = await sidecar({ prisma: db.prisma });
    const url = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await db.dispose();
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "not ready", checks: { database: false }, failed: ["database"] });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // Two sidecars on two databases in this test process: the closed one makes the outbox unreadable.
    expect(sample(await scrape(url), "rustplus_bot_outbox_readable")).toBe(0);
  });
});

describe("calls to other services", () => {
  it("counts BattleMetrics requests by endpoint shape and status", async () => {
    const bm = await FakeBattleMetrics.start();
    try {
      bm.addServer({ id: "1001", name: "Rusty", ip: "203.0.113.7", port: 28015, portQuery: 28016 });
      const client = new BattleMetricsClient({ baseUrl: bm.url, token: bm.token, limiter: new RequestLimiter(realTimers) });
      await client.get("servers/1001", { include: "player" }, serverWithPlayers, "user");
      await expect(client.get("servers/999999", {}, serverWithPlayers, "user")).rejects.toMatchObject({ kind: "not-found" });
      await client.pages("servers", { "filter[search]": "Rusty" }, serverList, "user", 1);
      const samples = await scrape();
      expect(sample(samples, "rustplus_bot_battlemetrics_requests_total", { endpoint: "servers/:id", status: "200" })).toBe(1);
      expect(sample(samples, "rustplus_bot_battlemetrics_requests_total", { endpoint: "servers/:id", status: "404" })).toBe(1);
      expect(sample(samples, "rustplus_bot_battlemetrics_requests_total", { endpoint: "servers", status: "200" })).toBe(1);
    } finally {
      await bm.close();
    }
  });

  it("counts Stripe webhook deliveries by event type and outcome", async () => {
    const secret = "whsec_metrics_test";
    const billing = await sidecar({ env: { STRIPE_SECRET_KEY: "sk_test_metrics", STRIPE_WEBHOOK_SECRET: secret }, stripe: new Stripe("sk_test_metrics") });
    const url = `http://127.0.0.1:${billing.port}/stripe/webhook`;
    const payload = JSON.stringify({ id: "evt_metrics_1", object: "event", type: "customer.created", data: { object: { id: "cus_1", object: "customer" } } });
    const post = (signature: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
    expect((await post(Stripe.webhooks.generateTestHeaderString({ payload, secret }))).status).toBe(200);
    expect((await post(Stripe.webhooks.generateTestHeaderString({ payload, secret }))).status).toBe(200);
    expect((await post(Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_other" }))).status).toBe(400);
    const samples = await scrape();
    expect(sample(samples, "rustplus_bot_stripe_webhook_events_total", { type: "customer.created", outcome: "ignored" })).toBe(1);
    expect(sample(samples, "rustplus_bot_stripe_webhook_events_total", { type: "customer.created", outcome: "duplicate" })).toBe(1);
    expect(sample(samples, "rustplus_bot_stripe_webhook_events_total", { type: "unverified", outcome: "rejected" })).toBe(1);
  });
});
