// Player intel per poll, without the database: 500 followed Rust servers × 200 players online, each polled
// once a minute. Per server and poll: the sessions diff (a stand-in until the shared poller's own diff is merged:
// the open-session set against the new list, O(n)) and the alert step (src/intel/watch/match.ts) for 3 following
// teams, each with 20 tracked notes, 20 tagged notes and 5 watchlists (2 by tag, 2 by name pattern on RE2, 1
// tracked-only). A steady minute has ~2 % of players leaving and as many joining; a wipe-day minute 50 %.
import { performance } from "node:perf_hooks";
import { compileWatchlist, type CompiledWatchlist, type NoteView } from "../src/intel/watch/filter.ts";
import { matchTransitions, type FollowerView } from "../src/intel/watch/match.ts";
import type { PlayerTransition } from "../src/intel/types.ts";
import type { BenchResult } from "./run.ts";

const SERVERS = 500;
const ONLINE = 200;
const TEAMS = 3;
const MINUTES = 10;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Server {
  id: string;
  /** name → session id (the open sessions). */
  open: Map<string, string>;
  list: string[];
  followers: FollowerView[];
  nextName: number;
}

const CLANS = ["[ABC]", "[XYZ]", "[RUST]", "[404]", ""];
const playerName = (random: () => number, n: number) => `${CLANS[Math.floor(random() * CLANS.length)]} player_${n}`.trim();

function buildServer(index: number, random: () => number): Server {
  const list = Array.from({ length: ONLINE }, (_, i) => playerName(random, i));
  const open = new Map(list.map((name, i) => [name, `s${index}-${i}`]));
  const followers: FollowerView[] = [];
  for (let team = 0; team < TEAMS; team++) {
    const notes: NoteView[] = [];
    for (let i = 0; i < 40; i++) {
      const name = list[Math.floor(random() * list.length)]!;
      notes.push({ id: `n${index}-${team}-${i}`, steamId: null, playerName: name, tags: i < 20 ? [] : [random() < 0.5 ? "raider" : "neighbour"], tracked: i < 20 });
    }
    const rows = [
      { filter: { tags: ["raider"] } },
      { filter: { tags: ["neighbour", "raider"], trackedOnly: true } },
      { filter: { pattern: "^\\[ABC\\]" } },
      { filter: { pattern: "^\\[(XYZ|404)\\] player_1\\d*$" } },
      { filter: { trackedOnly: true } },
    ];
    const watchlists = rows.map((r, i) => compileWatchlist({ id: `w${index}-${team}-${i}`, name: `list ${i}`, pairedServerId: null, ...r })) as CompiledWatchlist[];
    followers.push({ userId: `u${index}-${team}`, pairedServerId: `p${index}-${team}`, serverName: `Server ${index}`, notes, watchlists });
  }
  return { id: `i${index}`, open, list, followers, nextName: ONLINE };
}

/** The new list: `churn` of the players gone, as many new ones (clan tags drawn at random). */
function nextList(server: Server, random: () => number, churn: number): string[] {
  const kept = server.list.filter(() => random() >= churn);
  while (kept.length < ONLINE) kept.push(playerName(random, server.nextName++));
  return kept;
}

/** The stand-in diff: O(n) over the open sessions and the new list. */
function diff(server: Server, list: string[], at: Date, sessionSeq: { n: number }): PlayerTransition[] {
  const transitions: PlayerTransition[] = [];
  const now = new Set(list);
  for (const [name, sessionId] of server.open) {
    if (!now.has(name)) {
      transitions.push({ sessionId, playerName: name, online: false, at });
      server.open.delete(name);
    }
  }
  for (const name of list) {
    if (server.open.has(name)) continue;
    const sessionId = `x${sessionSeq.n++}`;
    server.open.set(name, sessionId);
    transitions.push({ sessionId, playerName: name, online: true, at });
  }
  server.list = list;
  return transitions;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function intel(): Promise<BenchResult[]> {
  const random = seeded(15);
  const servers = Array.from({ length: SERVERS }, (_, i) => buildServer(i, random));
  const seq = { n: 0 };
  // A warm-up minute, not counted: the first calls compile the code and fill the pattern caches.
  for (const server of servers) matchTransitions({ transitions: diff(server, nextList(server, random, 0.02), new Date(), seq), streamerMode: false, wiped: false }, server.followers);
  const results: BenchResult[] = [];
  for (const [label, churn, minutes] of [["steady (2 % churn a minute)", 0.02, MINUTES], ["wipe day (50 % churn a minute)", 0.5, 3]] as const) {
    const perServer: number[] = [];
    const cpuPerServer: number[] = [];
    const cpuPerMinute: number[] = [];
    let messages = 0;
    let transitions = 0;
    for (let minute = 0; minute < minutes; minute++) {
      const at = new Date(Date.UTC(2026, 10, 30, 12, minute));
      const lists = servers.map((s) => nextList(s, random, churn)); // the poll's answers, not timed
      const cpu = process.cpuUsage();
      for (const [i, server] of servers.entries()) {
        const started = performance.now();
        const cpuStarted = process.cpuUsage();
        const changes = diff(server, lists[i]!, at, seq);
        const out = matchTransitions({ transitions: changes, streamerMode: false, wiped: false }, server.followers);
        perServer.push(performance.now() - started);
        const spent = process.cpuUsage(cpuStarted);
        cpuPerServer.push((spent.user + spent.system) / 1000);
        messages += out.length;
        transitions += changes.length;
      }
      const used = process.cpuUsage(cpu);
      cpuPerMinute.push((used.user + used.system) / 1000);
    }
    perServer.sort((a, b) => a - b);
    cpuPerServer.sort((a, b) => a - b);
    const cpuMs = cpuPerMinute.sort((a, b) => a - b)[Math.floor(cpuPerMinute.length / 2)]!;
    // One interval is 60 s: CPU ms per minute over 60,000 ms, scaled to 100 servers.
    const corePer100 = (cpuMs / 60_000) * 100 * (100 / SERVERS);
    results.push(
      { name: `intel ${label}: p99 per server`, figure: `${percentile(perServer, 99).toFixed(3)} ms`, detail: `wall clock, p50 ${percentile(perServer, 50).toFixed(3)} ms; ${SERVERS} servers × ${ONLINE} online, ${TEAMS} teams each` },
      // On a shared machine the wall clock includes time this process waited for a core; its CPU time does not.
      { name: `intel ${label}: p99 CPU per server`, figure: `${percentile(cpuPerServer, 99).toFixed(3)} ms`, detail: `p50 ${percentile(cpuPerServer, 50).toFixed(3)} ms (process.cpuUsage, µs resolution)` },
      { name: `intel ${label}: CPU per minute`, figure: `${cpuMs.toFixed(1)} ms`, detail: `median of ${minutes} polls of every server; ${(transitions / minutes).toFixed(0)} transitions, ${(messages / minutes).toFixed(0)} alert messages a minute` },
      { name: `intel ${label}: core per 100 servers`, figure: `${corePer100.toFixed(3)} %`, detail: "at a 60 s interval; target under 1 %" },
    );
  }
  return results;
}
