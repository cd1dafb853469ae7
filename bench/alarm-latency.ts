// Alarm to Discord: 1,000 live paired servers (200 fake Rust servers × 5 players, in this process so one clock
// times both ends), each with a paired smart alarm; all 1,000 alarms trigger at once. Latency runs from the fake
// server sending the entityChanged broadcast to the fake Discord storing the bot's post, through rustplus.js,
// the device sync, the alarm watcher, the outbox and discord.js's REST client.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { FakeDiscord } from "../test/fakes/discord/index.ts";
import { EntityType, FakeRustServer } from "../test/fakes/rustplus/index.ts";
import { startTestBot } from "../test/helpers/bot.ts";
import { fleetSteamId, fleetToken } from "./fleet-ids.ts";
import type { BenchResult } from "./run.ts";

const SERVERS = Number(process.env["BENCH_ALARM_SERVERS"] ?? 1_000);
const PER_FAKE = 5;
const CHANNELS_PER_GUILD = 250;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function until(what: string, done: () => boolean | Promise<boolean>, limitMs = 300_000): Promise<void> {
  const started = performance.now();
  while (!(await done())) {
    if (performance.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export async function alarmLatency(): Promise<BenchResult[]> {
  const discord = await FakeDiscord.start();
  const bot = await startTestBot(discord, { logLevel: "warn", rust: { infoEveryMs: 60_000 } });
  const prisma = bot.db.prisma;
  const fakes: FakeRustServer[] = [];
  for (let f = 0; f < SERVERS / PER_FAKE; f++) {
    const entities = Object.fromEntries(Array.from({ length: PER_FAKE }, (_, p) => [p + 1, { type: EntityType.Alarm, value: false }]));
    fakes.push(await FakeRustServer.start({ players: Array.from({ length: PER_FAKE }, (_, p) => ({ steamId: fleetSteamId(f, p), playerToken: fleetToken(f, p) })), world: { entities } }));
  }

  // One user per paired server, each with its own alarms channel (a few guilds of 250 channels).
  const channelOf = new Map<string, number>();
  let guild = discord.createGuild({ name: "Bench 0" });
  for (let i = 0; i < SERVERS; i++) {
    if (i > 0 && i % CHANNELS_PER_GUILD === 0) guild = discord.createGuild({ name: `Bench ${i / CHANNELS_PER_GUILD}` });
    const f = Math.floor(i / PER_FAKE);
    const p = i % PER_FAKE;
    const channel = guild.createChannel({ name: `alarms-${i}` });
    channelOf.set(channel.id, i);
    const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(fleetToken(f, p)));
    // An integration is a guild's: each user routes to a guild id of its own (only its channel is real).
    const routeGuildId = String(100_000_000_000_000_000n + BigInt(i));
    await prisma.discordIntegration.create({ data: { guildId: routeGuildId, guildName: guild.name, alarmsChannelId: channel.id } });
    await prisma.user.create({
      data: {
        steamId: fleetSteamId(f, p),
        displayName: `p${i}`,
        notificationGuildId: routeGuildId,
        pairedServers: {
          create: {
            serverName: `Fake ${f}`,
            ip: "127.0.0.1",
            port: fakes[f]!.port,
            playerSteamId: fleetSteamId(f, p),
            playerToken: sealed.ciphertext,
            playerTokenKeyVersion: sealed.keyVersion,
            live: true,
            smartDevices: { create: { kind: "ALARM", entityId: BigInt(p + 1), name: `Alarm ${i}` } },
          },
        },
      },
    });
  }

  await bot.ctx.rust.restoreAll();
  await until("every server connected", () => bot.ctx.rust.counts().connected === SERVERS);
  // Every alarm subscribed: the device sync has read it after connecting.
  await until("every alarm subscribed", () => fakes.every((f) => f.connectionInfo().every((c) => c.entities.length === 1)));
  await bot.devices.idle();

  // One alarm alone, then bursts at once: a burst waits on Discord's global limit (50 requests/s per bot,
  // which @discordjs/rest keeps to), so 1,000 posts need 20 s however fast the rest is.
  const bursts = [...new Set([1, Math.min(100, SERVERS), SERVERS])];
  const results: BenchResult[] = [];
  const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
  for (const burst of bursts) {
    const sentAt: number[] = [];
    const latencies: number[] = [];
    const stop = discord.onMessage((message) => {
      const i = channelOf.get(message.channel_id);
      if (i === undefined || !message.embeds.some((e) => e.title?.startsWith("🚨"))) return;
      latencies.push(performance.now() - sentAt[i]!);
    });
    const started = performance.now();
    for (let i = 0; i < burst; i++) {
      sentAt[i] = performance.now();
      fakes[Math.floor(i / PER_FAKE)]!.triggerAlarm((i % PER_FAKE) + 1);
    }
    await until(`${burst} alarms posted`, () => latencies.length >= burst);
    const burstMs = performance.now() - started;
    stop();
    const sorted = latencies.sort((a, b) => a - b);
    results.push(
      { name: `alarm → Discord post p50, burst of ${burst}`, figure: ms(percentile(sorted, 50)), detail: `${SERVERS} live servers, ${bot.db.kind} database` },
      { name: `alarm → Discord post p99, burst of ${burst}`, figure: ms(percentile(sorted, 99)), detail: `all ${latencies.length} posted (one each) in ${ms(burstMs)}` },
    );
    // The alarms go quiet, and the bot has recorded it, before the next burst.
    for (let i = 0; i < burst; i++) fakes[Math.floor(i / PER_FAKE)]!.setEntityValue((i % PER_FAKE) + 1, false);
    await until("alarms reset", async () => (await prisma.smartDevice.count({ where: { kind: "ALARM", isOn: true } })) === 0);
    await bot.devices.idle();
    await bot.alarms.idle();
    await bot.notifier.idle();
  }
  results.push({ name: "rate_limit errors from the fakes (alarm bench)", figure: String(fakes.reduce((n, f) => n + f.rateLimited, 0)) });

  await bot.stop();
  await discord.close();
  await Promise.all(fakes.map((f) => f.close()));
  return results;
}
