// Player intel per poll, without the database: 500 followed Rust servers × 200 players online, each polled
// once a minute. Per server and poll: the sessions diff (src/intel/poll/session-diff.ts, with the time connected
// A2S reports), turning it into transitions as the poller does, and the alert step (src/intel/watch/match.ts) for 3 following
// teams, each with 20 tracked notes, 20 tagged notes and 5 watchlists (2 by tag, 2 by name pattern on RE2, 1
// tracked-only). A steady minute has ~2 % of players leaving and as many joining; a wipe-day minute 50 %.
import { performance } from "node:perf_hooks";
import { compileWatchlist, type CompiledWatchlist, type NoteView } from "../src/intel/watch/filter.ts";
import { matchTransitions, type FollowerView } from "../src/intel/watch/match.ts";
import { diffSessions, type OpenSession } from "../src/intel/poll/session-diff.ts";
import type { ListedPlayer, PlayerTransition } from "../src/intel/types.ts";
import type { BenchResult } from "./run.ts";
import { seeded } from "../src/seeded-random.ts";

const SERVERS = 500;
const ONLINE = 200;
const TEAMS = 3;
const MINUTES = 10;

interface Server {
  id: string;
  /** The open sessions, as the poller keeps them between polls. */
  open: OpenSession[];
  list: string[];
  /** name → when they connected (A2S reports the seconds since). */
  joined: Map<string, number>;
  followers: FollowerView[];
  nextName: number;
}

const CLANS = ["[ABC]", "[XYZ]", "[RUST]", "[404]", ""];
const playerName = (random: () => number, n: number) => `${CLANS[Math.floor(random() * CLANS.length)]} player_${n}`.trim();

function buildServer(index: number, random: () => number): Server {
  const list = Array.from({ length: ONLINE }, (_, i) => playerName(random, i));
  const start = Date.UTC(2026, 10, 30, 11);
  const open: OpenSession[] = list.map((name, i) => ({ id: `s${index}-${i}`, playerName: name, steamId: null, startedAt: new Date(start), lastSeenAt: new Date(start) }));
  const joined = new Map(list.map((name) => [name, start]));
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
  return { id: `i${index}`, open, list, joined, followers, nextName: ONLINE };
}

/** The new list at `at`: `churn` of the players gone, as many new ones (clan tags drawn at random), with the seconds connected. */
function nextList(server: Server, random: () => number, churn: number, at: Date): ListedPlayer[] {
  const kept = server.list.filter(() => random() >= churn);
  while (kept.length < ONLINE) {
    const name = playerName(random, server.nextName++);
    server.joined.set(name, at.getTime() - Math.floor(random() * 55_000));
    kept.push(name);
  }
  server.list = kept;
  return kept.map((name) => ({ name, connectedSeconds: Math.floor((at.getTime() - (server.joined.get(name) ?? at.getTime())) / 1000) }));
}

/** The real diff, then its result applied as the poller does (without the database): transitions out, the open set updated. */
function diff(server: Server, list: ListedPlayer[], at: Date, sessionSeq: { n: number }): PlayerTransition[] {
  const { open, close, touch } = diffSessions(server.open, list, at);
  const transitions: PlayerTransition[] = [];
  const next: OpenSession[] = [];
  for (const c of close) transitions.push({ sessionId: c.session.id, playerName: c.session.playerName, online: false, at: c.endedAt });
  for (const t of touch) next.push({ ...t.session, lastSeenAt: at });
  for (const o of open) {
    const session = { id: `x${sessionSeq.n++}`, playerName: o.player.name, steamId: null, startedAt: o.startedAt, lastSeenAt: at };
    next.push(session);
    transitions.push({ sessionId: session.id, playerName: session.playerName, online: true, at: o.startedAt });
  }
  for (const c of close) if (c.reason === "gone") server.joined.delete(c.session.playerName);
  server.open = next;
  return transitions;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function intel(): Promise<BenchResult[]> {
  const random = seeded(15);
  const servers = Array.from({ length: SERVERS }, (_, i) => buildServer(i, random));
  const seq = { n: 0 };
  // A warm-up minute, not counted: the first calls compile the code and fill the pattern caches.
  const warm = new Date(Date.UTC(2026, 10, 30, 11, 59));
  for (const server of servers) matchTransitions({ transitions: diff(server, nextList(server, random, 0.02, warm), warm, seq), streamerMode: false, wiped: false }, server.followers);
  const results: BenchResult[] = [];
  let clock = 0; // minutes after 12:00, on across both scenarios
  for (const [label, churn, minutes] of [["steady (2 % churn a minute)", 0.02, MINUTES], ["wipe day (50 % churn a minute)", 0.5, 3]] as const) {
    const perServer: number[] = [];
    const cpuPerServer: number[] = [];
    const cpuPerMinute: number[] = [];
    let messages = 0;
    let transitions = 0;
    for (let minute = 0; minute < minutes; minute++) {
      const at = new Date(Date.UTC(2026, 10, 30, 12, clock++));
      const lists = servers.map((s) => nextList(s, random, churn, at)); // the poll's answers, not timed
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
