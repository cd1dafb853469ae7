// The fleet through the REST proxy: 1, 2 and 4 bot instances (each its own REST client, notifier and
// PostgreSQL database, as a fleet runs on PostgreSQL, in this process so one clock times both ends) post
// through `npm run start:proxy` (a child process) to the fake Discord enforcing Discord's global limit (50
// requests/s per token, fixed one-second windows). Alarms are enqueued open loop at a steady rate
// (BENCH_FLEET_ALARM_RATE, 10/s; BENCH_FLEET_ALARMS a phase, 200), first on a quiet fleet, then while every
// instance floods its server cards with edits (BENCH_FLEET_CARDS each, 100, each card in its own channel, so
// the per-route queues are not the limit). Latency runs from notifier.notify to the fake storing the post;
// the detail splits it at the outbox row written and at the dispatcher's REST call. The fleet holds the
// global limit when the fake answered no global 429 and counted at most 50 requests in any second.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { APIEmbed } from "discord-api-types/v10";
import { upsertLiveMessage } from "../src/notify/live-message.ts";
import { FakeDiscord, type FakeGuild } from "../test/fakes/discord/index.ts";
import { linkUser, routeTo, startTestBot, type TestBot } from "../test/helpers/bot.ts";
import { createTestDatabase } from "../test/helpers/database.ts";
import { spawnTs, waitForLine } from "../test/helpers/spawn.ts";
import type { BenchResult } from "./run.ts";

const INSTANCES = (process.env["BENCH_FLEET_INSTANCES"] ?? "1,2,4").split(",").map(Number);
const CARDS_PER_INSTANCE = Number(process.env["BENCH_FLEET_CARDS"] ?? 100);
/** Alarms a second over the whole fleet, and how many per phase. */
const ALARM_RATE = Number(process.env["BENCH_FLEET_ALARM_RATE"] ?? 10);
const ALARMS_PER_PHASE = Number(process.env["BENCH_FLEET_ALARMS"] ?? 200);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const ms = (v: number) => `${v.toFixed(0)} ms`;
const progress = (line: string) => process.stderr.write(`fleet bench: ${line}\n`);

interface Instance {
  bot: TestBot;
  alarmUserId: string;
  alarmChannelId: string;
  cardUserIds: string[];
}

let nextGuild = 0n;
async function user(bot: TestBot, fake: FakeDiscord, guild: FakeGuild, family: "statusChannelId" | "alarmsChannelId"): Promise<{ userId: string; channelId: string }> {
  const linked = await linkUser(bot.db.prisma, fake.createUser().id);
  const channelId = guild.createChannel({ name: `c-${nextGuild}` }).id;
  await routeTo(bot.db.prisma, linked.id, { guildId: String(300_000_000_000_000_000n + nextGuild++), guildName: "Bench", [family]: channelId });
  return { userId: linked.id, channelId };
}

export async function fleet(): Promise<BenchResult[]> {
  const shards = Math.max(...INSTANCES);
  const fake = await FakeDiscord.start({ shardCount: shards });
  const guild = fake.createGuild({ name: "Fleet bench" });
  const proxy = spawnTs("src/fleet/proxy-main.ts", [], { env: { DISCORD_REST_URL: fake.restUrl, DISCORD_PROXY_HOST: "127.0.0.1", DISCORD_PROXY_PORT: "0", LOG_LEVEL: "info" } });
  const url = /"url":"(http:[^"]+)"/.exec(await waitForLine(proxy, /"url":"http:[^"]+"/))![1]!;

  const instances: Instance[] = [];
  for (let shard = 0; shard < shards; shard++) {
    // A fleet runs on PostgreSQL (the leases need it): each instance on a database of its own there.
    const db = await createTestDatabase("postgres");
    const bot = await startTestBot(fake, { db, logLevel: "warn", env: { DISCORD_REST_URL: url, DISCORD_SHARD_COUNT: String(shards), DISCORD_SHARD_IDS: String(shard) } });
    const alarm = await user(bot, fake, guild, "alarmsChannelId");
    const cards: string[] = [];
    for (let c = 0; c < CARDS_PER_INSTANCE; c++) cards.push((await user(bot, fake, guild, "statusChannelId")).userId);
    instances.push({ bot, alarmUserId: alarm.userId, alarmChannelId: alarm.channelId, cardUserIds: cards });
    progress(`instance ${shard + 1} started`);
  }
  let version = 0;
  const card = (n: number): APIEmbed => ({ title: "Rustoria EU", description: `Players ${n % 200}/200 · version ${n}` });
  const upsertAll = (instance: Instance, n: number) =>
    Promise.all(instance.cardUserIds.map((userId) => upsertLiveMessage(instance.bot.db.prisma, instance.bot.client.rest, instance.bot.ctx.logger, { userId, key: "server:1", family: "STATUS", embed: card(n) })));
  // Every card posted once before anything is measured.
  await Promise.all(instances.map((i) => upsertAll(i, ++version)));
  progress("cards posted");

  const results: BenchResult[] = [];
  let alarmSeq = 0;
  /**
   * Enqueues ALARMS_PER_PHASE alarms over `fleet` at ALARM_RATE/s; resolves with their latencies (ms, sorted),
   * where the time went (p50 / p99 from notify to the row written, and to the dispatcher's REST call) and how
   * long the phase took (s).
   */
  async function alarms(fleet: Instance[]): Promise<{ latencies: number[]; breakdown: string; seconds: number }> {
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const queued: number[] = [];
    const dispatched: number[] = [];
    const restore: (() => void)[] = [];
    for (const instance of fleet) {
      const rest = instance.bot.client.rest;
      const original = rest.post;
      restore.push(() => (rest.post = original));
      const post = original.bind(rest);
      rest.post = (route, options) => {
        for (const [, name] of JSON.stringify(options?.body ?? "").matchAll(/🚨 (bench-\d+)/gu)) {
          const at = sentAt.get(name!);
          if (at !== undefined) dispatched.push(performance.now() - at);
        }
        return post(route, options);
      };
    }
    const stop = fake.onMessage((message) => {
      // The notifier packs alarms due together for one channel into one message: one embed each.
      for (const embed of message.embeds) {
        const name = embed.title?.match(/🚨 (bench-\d+)/u)?.[1];
        const at = name ? sentAt.get(name) : undefined;
        if (at !== undefined) latencies.push(performance.now() - at);
      }
    });
    const started = performance.now();
    const enqueues: Promise<unknown>[] = [];
    for (let i = 0; i < ALARMS_PER_PHASE; i++) {
      const instance = fleet[i % fleet.length]!;
      const name = `bench-${++alarmSeq}`;
      sentAt.set(name, performance.now());
      // Open loop, as alarms from many servers arrive: the next one does not wait for this one's enqueue.
      enqueues.push(
        instance.bot.notifier
          .notify({ userId: instance.alarmUserId, event: { kind: "alarm", serverName: "Bench", alarmName: name, at: new Date().toISOString() }, dedupeKey: name })
          .then(() => queued.push(performance.now() - sentAt.get(name)!)),
      );
      const wait = started + ((i + 1) * 1000) / ALARM_RATE - performance.now();
      if (wait > 1) await sleep(wait);
    }
    await Promise.all(enqueues);
    while (latencies.length < ALARMS_PER_PHASE) {
      if (performance.now() - started > 120_000) throw new Error(`only ${dispatched.length} dispatched, ${latencies.length} of ${ALARMS_PER_PHASE} alarms posted`);
      await sleep(20);
    }
    stop();
    for (const r of restore) r();
    const pair = (a: number[]) => (a.sort((x, y) => x - y), `${ms(percentile(a, 50))} / ${ms(percentile(a, 99))}`);
    const breakdown = `in the outbox ${pair(queued)}, handed to REST ${pair(dispatched)}`;
    return { latencies: latencies.sort((a, b) => a - b), breakdown, seconds: (performance.now() - started) / 1000 };
  }

  for (const count of INSTANCES) {
    const fleet = instances.slice(0, count);
    const refusedBefore = fake.globalRateLimited;
    const windowsBefore = new Set(fake.requestsPerSecond().map(([w]) => w));
    const quiet = await alarms(fleet);
    progress(`${count}: quiet phase done`);

    // The flood: every instance edits all its cards again as soon as the last round is through.
    let flooding = true;
    let edits = 0;
    const floods = fleet.map(async (instance) => {
      while (flooding) edits += (await upsertAll(instance, ++version)).filter((r) => r.outcome === "edited").length;
    });
    const floodStarted = performance.now();
    const flood = await alarms(fleet);
    flooding = false;
    await Promise.all(floods);
    const floodSeconds = (performance.now() - floodStarted) / 1000;

    const windows = fake.requestsPerSecond().filter(([w]) => !windowsBefore.has(w));
    const peak = Math.max(...windows.map(([, n]) => n));
    const refused = fake.globalRateLimited - refusedBefore;
    const label = `${count} instance${count > 1 ? "s" : ""}`;
    results.push(
      { name: `fleet ${label}: alarm p50 / p99, quiet`, figure: `${ms(percentile(quiet.latencies, 50))} / ${ms(percentile(quiet.latencies, 99))}`, detail: `${ALARMS_PER_PHASE} alarms at ${ALARM_RATE}/s: ${(ALARMS_PER_PHASE / quiet.seconds).toFixed(1)} posts/s; ${quiet.breakdown}` },
      {
        name: `fleet ${label}: alarm p50 / p99, card-edit flood`,
        figure: `${ms(percentile(flood.latencies, 50))} / ${ms(percentile(flood.latencies, 99))}`,
        detail: `${(ALARMS_PER_PHASE / flood.seconds).toFixed(1)} alarm posts/s beside ${(edits / floodSeconds).toFixed(1)} edits/s; p99 ${(percentile(flood.latencies, 99) / percentile(quiet.latencies, 99)).toFixed(2)}× quiet; ${flood.breakdown}`,
      },
      { name: `fleet ${label}: global limit at the fake`, figure: `${peak}/s peak`, detail: `${refused} global 429s (limit 50/s)` },
    );
  }

  for (const instance of instances) {
    await instance.bot.stop();
    await instance.bot.db.dispose();
  }
  proxy.kill("SIGTERM");
  await fake.close();
  return results;
}
