// Shop tracking per marker poll, without the database: 100 servers × 500 vending machines × 6 sell orders, with
// 10,000 tracked items (100 per server, 20 users each, various currencies and limits). Per server and poll: the
// market's diff (src/shop/market.ts, from a freshly parsed answer as the service gets one), the tracked-item match
// (src/shop/track/match.ts) and the alert messages (format.ts). Polls come every POLL_EVERY_MS (12 s, 5 a minute);
// each poll ~1 % of orders change price or stock and ~0.4 % of machines go or appear.
import { availableParallelism, loadavg } from "node:os";
import { performance, PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { POLL_EVERY_MS } from "../src/events/server-events.ts";
import { createLogger } from "../src/logger.ts";
import { rustPlusRoot } from "../src/rustplus/shared-proto.ts";
import { Market } from "../src/shop/market.ts";
import { alertMessages } from "../src/shop/track/format.ts";
import { TrackMatcher, type TrackedView } from "../src/shop/track/match.ts";
import type { MarketUpdate, SellOrder, VendingMachine } from "../src/shop/types.ts";
import { parseVendingMachines, type MonumentPoint } from "../src/shop/vending-schema.ts";
import type { BenchResult } from "./run.ts";
import { seeded } from "../src/seeded-random.ts";

const SERVERS = 100;
const MACHINES = 500;
const ORDERS = 6;
const TRACKED_PER_SERVER = 100;
const USERS_PER_SERVER = 20;
/** Distinct items sold on a server: a tracked item is offered by ~10 machines. */
const ITEM_POOL = 300;
const CURRENCIES = [-932201673, 69511070, 317398316, -151838493]; // scrap, metal fragments, HQM, wood
const MINUTES = 5;
const MAP_SIZE = 4000;
/** Outpost and Bandit Camp: the machines near them are NPC shops (and the parse checks every machine against them). */
const MONUMENTS: MonumentPoint[] = [{ token: "outpost", x: 1000, y: 1000 }, { token: "bandit_camp", x: 3000, y: 2500 }];
/** Other markers in each answer (players, cargo ship, CH47, crates…), skipped by the parse. */
const OTHER_MARKERS = 12;
const logger = createLogger({ level: "silent" });

interface Server {
  id: string;
  market: Market;
  machines: VendingMachine[];
  tracked: TrackedView[];
  nextMarker: number;
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const itemId = (random: () => number) => 1_000 + Math.floor(random() * ITEM_POOL);

function newOrder(random: () => number): SellOrder {
  const quantity = pick(random, [1, 1, 1, 10, 100, 1000]);
  return { itemId: itemId(random), quantity, currencyId: pick(random, CURRENCIES), costPerItem: 1 + Math.floor(random() * 500), amountInStock: Math.floor(random() * 20), itemIsBlueprint: random() < 0.05, currencyIsBlueprint: false };
}

function newMachine(server: Server, random: () => number): VendingMachine {
  return { markerId: server.nextMarker++, x: random() * MAP_SIZE, y: random() * MAP_SIZE, name: `Shop ${server.nextMarker}`, outOfStock: false, npc: false, orders: Array.from({ length: ORDERS }, () => newOrder(random)) };
}

function buildServer(index: number, random: () => number): Server {
  const server: Server = { id: `s${index}`, market: new Market(), machines: [], tracked: [], nextMarker: 1 };
  server.machines = Array.from({ length: MACHINES }, () => newMachine(server, random));
  for (let i = 0; i < TRACKED_PER_SERVER; i++) {
    const any = random() < 0.2;
    server.tracked.push({ id: `t${index}-${i}`, userId: `u${index}-${i % USERS_PER_SERVER}`, itemId: itemId(random), currencyItemId: any ? null : pick(random, CURRENCIES), maxUnitPriceMilli: any ? null : 1_000 * (1 + Math.floor(random() * 400)) });
  }
  return server;
}

const mapMarkers = rustPlusRoot().lookupType("rustplus.AppMapMarkers");

/** A field as a real server sends it: left off the wire at its default (0, false, ""). */
const sent = <T>(value: T): T | undefined => (value ? value : undefined);

/**
 * The next answer, as a session gets it: the server's machines with a few orders repriced or restocked and a few
 * machines replaced, encoded as AppMapMarkers (defaults left off, as real servers do) and decoded by protobufjs.
 */
function nextAnswer(server: Server, random: () => number): unknown {
  // The server's own state changes in place (only changed machines are new): the bench's bookkeeping must not leave
  // long-lived garbage of its own in the heap the step is timed in.
  const machines = server.machines;
  for (let i = 0; i < machines.length; i++) {
    const m = machines[i]!;
    if (random() < 0.004) {
      machines[i] = newMachine(server, random);
      continue;
    }
    let orders: SellOrder[] | null = null;
    for (let j = 0; j < m.orders.length; j++) {
      const o = m.orders[j]!;
      const r = random();
      const changed = r < 0.005 ? { ...o, costPerItem: 1 + Math.floor(random() * 500) } : r < 0.01 ? { ...o, amountInStock: Math.max(0, o.amountInStock + (random() < 0.7 ? -1 : 5)) } : null;
      if (changed) (orders ??= [...m.orders])[j] = changed;
    }
    if (orders) machines[i] = { ...m, orders };
  }
  const markers: object[] = server.machines.map((m) => ({
    id: m.markerId, type: 3, x: m.x, y: m.y, name: sent(m.name), outOfStock: sent(m.outOfStock),
    sellOrders: m.orders.map((o) => ({
      itemId: o.itemId, quantity: o.quantity, currencyId: o.currencyId, costPerItem: sent(o.costPerItem), amountInStock: sent(o.amountInStock),
      itemIsBlueprint: sent(o.itemIsBlueprint), currencyIsBlueprint: sent(o.currencyIsBlueprint),
    })),
  }));
  for (let i = 0; i < OTHER_MARKERS; i++) markers.push({ id: 1_000_000 + i, type: 1 + (i % 8 === 2 ? 3 : i % 8), x: random() * MAP_SIZE, y: random() * MAP_SIZE });
  return (mapMarkers.decode(mapMarkers.encode(mapMarkers.fromObject({ markers })).finish()) as unknown as { markers: unknown }).markers;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const names = (id: number) => `item ${id}`;

/** One poll of one server: parse and diff, then match and messages; the time of each part (ms, wall clock). */
function poll(server: Server, matcher: TrackMatcher, markers: unknown, now: number) {
  const started = performance.now();
  const step = server.market.update(parseVendingMachines(markers, MONUMENTS, logger, server.market.machines), true);
  const diffed = performance.now();
  const update: MarketUpdate = { serverId: server.id, userId: "owner", serverName: server.id, now, mapSize: MAP_SIZE, wipeAt: 0, machines: server.market.machines, changes: step.changes, seeding: step.seeding, frozen: step.frozen };
  const transitions = matcher.match(update, server.tracked);
  const messages = transitions.length ? alertMessages(transitions, { serverId: server.id, now, mapSize: MAP_SIZE, monuments: [], itemName: names }) : [];
  return { started, diffMs: diffed - started, matchMs: performance.now() - diffed, transitions: transitions.length, messages: messages.length, changes: step.changes.length };
}

export async function shop(): Promise<BenchResult[]> {
  const random = seeded(16);
  const servers = Array.from({ length: SERVERS }, (_, i) => buildServer(i, random));
  const matcher = new TrackMatcher();
  let now = Date.UTC(2026, 11, 1, 12);
  // Seeding poll and a warm-up minute, not counted (compiles the code).
  for (let p = 0; p < 1 + 60_000 / POLL_EVERY_MS; p++, now += POLL_EVERY_MS) for (const s of servers) poll(s, matcher, nextAnswer(s, random), now);
  // Every GC pause (start and duration on performance.now()'s clock), to tell the steps a pause lengthened from
  // those the scheduler did (a loaded machine).
  const pauses: PerformanceEntry[] = [];
  const gcObserver = new PerformanceObserver((list) => pauses.push(...list.getEntries()));
  gcObserver.observe({ entryTypes: ["gc"] });
  const steps: { started: number; ms: number; cpuMs: number }[] = [];
  const perServer: number[] = [];
  const diffPerServer: number[] = [];
  const matchPerServer: number[] = [];
  const cpuPerServer: number[] = [];
  const cpuPerMinute: number[] = [];
  let transitions = 0;
  let messages = 0;
  let changes = 0;
  for (let minute = 0; minute < MINUTES; minute++) {
    let cpuMinute = 0;
    for (let p = 0; p < 60_000 / POLL_EVERY_MS; p++, now += POLL_EVERY_MS) {
      for (const server of servers) {
        // Each answer comes in its own socket message (a task of the event loop), as in production: V8 finishes its
        // incremental marking between tasks, not inside a step.
        await new Promise((resolve) => setImmediate(resolve));
        // The answer as decoded, just before its step as in the service (not timed).
        const answer = nextAnswer(server, random);
        const cpu = process.cpuUsage();
        const out = poll(server, matcher, answer, now);
        const spent = process.cpuUsage(cpu);
        perServer.push(out.diffMs + out.matchMs);
        steps.push({ started: out.started, ms: out.diffMs + out.matchMs, cpuMs: (spent.user + spent.system) / 1000 });
        diffPerServer.push(out.diffMs);
        matchPerServer.push(out.matchMs);
        cpuPerServer.push((spent.user + spent.system) / 1000);
        cpuMinute += (spent.user + spent.system) / 1000;
        transitions += out.transitions;
        messages += out.messages;
        changes += out.changes;
      }
    }
    cpuPerMinute.push(cpuMinute);
  }
  // The observer is told of pauses asynchronously: let it catch up after the synchronous loop.
  await new Promise((resolve) => setTimeout(resolve, 100));
  gcObserver.disconnect();
  const slow = steps.filter((s) => s.ms > 5);
  const gcIn = (s: { started: number; ms: number }) =>
    pauses.reduce((sum, p) => sum + Math.max(0, Math.min(p.startTime + p.duration, s.started + s.ms) - Math.max(p.startTime, s.started)), 0);
  const slowGc = slow.map(gcIn);
  const gcPerStep = steps.map(gcIn).sort((a, b) => a - b);
  for (const list of [perServer, diffPerServer, matchPerServer, cpuPerServer]) list.sort((a, b) => a - b);
  const cpuMs = cpuPerMinute.sort((a, b) => a - b)[Math.floor(cpuPerMinute.length / 2)]!;
  const serverPolls = MINUTES * (60_000 / POLL_EVERY_MS) * SERVERS;
  return [
    { name: "shop parse+diff+match: p99 per server, poll", figure: `${percentile(perServer, 99).toFixed(3)} ms`, detail: `wall clock, p50 ${percentile(perServer, 50).toFixed(3)} ms, p95 ${percentile(perServer, 95).toFixed(3)} ms, max ${perServer.at(-1)!.toFixed(3)} ms; ${MACHINES} machines × ${ORDERS} orders, ${TRACKED_PER_SERVER} tracked items; target under 5 ms` },
    { name: "shop parse+diff alone: p99 per server, poll", figure: `${percentile(diffPerServer, 99).toFixed(3)} ms`, detail: `p50 ${percentile(diffPerServer, 50).toFixed(3)} ms (src/shop/vending-schema.ts, market.ts)` },
    { name: "shop match+messages alone: p99 per server and poll", figure: `${percentile(matchPerServer, 99).toFixed(3)} ms`, detail: `p50 ${percentile(matchPerServer, 50).toFixed(3)} ms (src/shop/track/)` },
    { name: "shop parse+diff+match: p99 CPU per server, poll", figure: `${percentile(cpuPerServer, 99).toFixed(3)} ms`, detail: `p50 ${percentile(cpuPerServer, 50).toFixed(3)} ms, p95 ${percentile(cpuPerServer, 95).toFixed(3)} ms (process.cpuUsage, µs resolution; includes GC threads); load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores` },
    { name: "shop parse+diff+match: p99 GC pause within", figure: `${percentile(gcPerStep, 99).toFixed(3)} ms`, detail: `max ${gcPerStep.at(-1)!.toFixed(3)} ms (${pauses.length} pauses in the run); ${slow.length} of ${steps.length} steps over 5 ms wall: ${slowGc.filter((g) => g > 0).length} met a GC pause (${slowGc.reduce((a, b) => a + b, 0).toFixed(1)} of their ${slow.reduce((a, b) => a + b.ms, 0).toFixed(1)} ms), their CPU ${slow.reduce((a, b) => a + b.cpuMs, 0).toFixed(1)} ms (the rest: off CPU, the scheduler)` },
    { name: "shop parse+diff+match: CPU per minute", figure: `${cpuMs.toFixed(1)} ms`, detail: `median of ${MINUTES} minutes, ${SERVERS} servers polled every ${POLL_EVERY_MS / 1000} s (${(cpuMs / 600).toFixed(2)} % of a core); per server and poll ${(changes / serverPolls).toFixed(1)} changes, ${(transitions / serverPolls).toFixed(2)} transitions, ${(messages / serverPolls).toFixed(2)} alert posts` },
  ];
}
