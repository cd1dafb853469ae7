// Interaction round trip through the real discord.js client and the fake Discord: from the gateway
// dispatch to the bot's callback, for a no-op command (/ping) and database-backed ones (/help looks up the
// user; /device list reads a paired server's devices), sent open-loop at a fixed rate.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { FakeDiscord } from "../test/fakes/discord/index.ts";
import { linkUser, startTestBot } from "../test/helpers/bot.ts";
import { testDatabaseKind } from "../test/helpers/database.ts";
import { createServer } from "../test/helpers/fixtures.ts";
import type { BenchResult } from "./run.ts";

const RATE_PER_SECOND = 300;
/** Commands per measurement; BENCH_INTERACTIONS_COUNT lowers it for a quick run on a busy machine. */
const COUNT = countFromEnv(process.env["BENCH_INTERACTIONS_COUNT"]);
const DEVICES = 12;

function countFromEnv(value: string | undefined): number {
  if (value === undefined) return 3_000;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 100) throw new Error(`BENCH_INTERACTIONS_COUNT must be a whole number of at least 100, not ${JSON.stringify(value)}`);
  return count;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function interactions(): Promise<BenchResult[]> {
  // Discord's 3 s window would drop a late answer on a busy machine, and the run would wait for it forever:
  // here a late answer is measured instead.
  const fake = await FakeDiscord.start({ interactionTimeoutMs: 600_000 });
  const guildId = fake.createGuild({ name: "Bench" }).id;
  // Production log level: per-interaction debug lines are not part of the figure.
  const bot = await startTestBot(fake, { logLevel: "info" });
  const user = fake.createUser();
  const linked = await linkUser(bot.db.prisma, user.id);
  const server = await createServer(bot.db.prisma, linked.id);
  await bot.db.prisma.smartDevice.createMany({
    data: Array.from({ length: DEVICES }, (_, i) => ({ pairedServerId: server.id, kind: "SWITCH" as const, entityId: BigInt(5000 + i), name: `Switch ${i}`, isOn: i % 2 === 0 })),
  });

  async function measure(name: string, subcommand?: string): Promise<{ p50: number; p99: number; rate: number }> {
    const latencies: Promise<number>[] = [];
    const started = performance.now();
    const interval = 1000 / RATE_PER_SECOND;
    for (let i = 0; i < COUNT; i++) {
      const sent = performance.now();
      latencies.push(fake.sendCommand({ guildId, name, ...(subcommand && { subcommand }), user }).then((h) => h.response).then(() => performance.now() - sent));
      const due = started + (i + 1) * interval;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
    }
    const sorted = (await Promise.all(latencies)).sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), rate: (COUNT / (performance.now() - started)) * 1000 };
  }

  await measure("ping"); // warm-up: JIT, the Prisma query compiler, connection pools
  await measure("help");
  await measure("device", "list");
  const ping = await measure("ping");
  const help = await measure("help");
  const devices = await measure("device", "list");
  await bot.stop();
  await fake.close();
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  return [
    { name: "interaction round trip, /ping (no-op) p50", figure: ms(ping.p50), detail: `${COUNT} at ${ping.rate.toFixed(0)}/s` },
    { name: "interaction round trip, /ping (no-op) p99", figure: ms(ping.p99) },
    { name: `interaction round trip, /help (${testDatabaseKind} db) p50`, figure: ms(help.p50), detail: `${COUNT} at ${help.rate.toFixed(0)}/s` },
    { name: `interaction round trip, /help (${testDatabaseKind} db) p99`, figure: ms(help.p99) },
    { name: `interaction round trip, /device list (${testDatabaseKind}) p50`, figure: ms(devices.p50), detail: `${COUNT} at ${devices.rate.toFixed(0)}/s, ${DEVICES} devices` },
    { name: `interaction round trip, /device list (${testDatabaseKind}) p99`, figure: ms(devices.p99) },
    { name: "/help / no-op ratio (p50, p99)", figure: `${(help.p50 / ping.p50).toFixed(2)}×, ${(help.p99 / ping.p99).toFixed(2)}×` },
    { name: "/device list / no-op ratio (p50, p99)", figure: `${(devices.p50 / ping.p50).toFixed(2)}×, ${(devices.p99 / ping.p99).toFixed(2)}×` },
  ];
}
