// The shared poll: every Rust server any team follows (a live PairedServer not waiting to be paired again),
// grouped by (ip, app port) into one IntelServer row, is queried once per interval for every team together,
// each at its own offset within the interval so hundreds of servers do not fire at once, a few at a time.
// Each answer is diffed against the server's open PlayerSession rows (kept in the database, so a restart picks
// up where it left off), then handed to the listeners.
import type { IntelServer, PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "../../logger.ts";
import { Gate } from "../../rustplus/gate.ts";
import { realTimers, type Timers } from "../../rustplus/timers.ts";
import { WorkSet } from "../../work-set.ts";
import { A2sError, type A2sAnswer, type A2sQuery } from "../a2s/a2s-client.ts";
import { answerMatches, discoverQueryPort, queryPortCandidates, type ServerIdentity } from "../a2s/query-port.ts";
import type { IntelPollListener, IntelPollResult, ListedPlayer, PlayerEnricher, PlayerTransition, PolledServer } from "../types.ts";
import { diffSessions, type OpenSession } from "./session-diff.ts";
import { floodBound, SessionFlood } from "./session-flood.ts";
import { looksLikeStreamerMode } from "./streamer-names.ts";

export interface IntelPollerOptions {
  /** INTEL_POLL_INTERVAL_MS: each followed server is queried once per interval. */
  intervalMs: number;
  timers?: Timers;
  random?: () => number;
  /** Queries in flight at once (default 16). */
  concurrency?: number;
  /** The query ports tried for an app port (tests point it at their fake). */
  candidates?: (appPort: number) => number[];
  /** How long a server whose query port was not found waits before it is looked for again (default 10 min). */
  rediscoverMs?: number;
}

/** How one server's poll went. */
export type PollOutcome = "answered" | "no-answer" | "no-query-port" | "no-list" | "busy";

const MAX_LISTED = 1000;
/**
 * With a capped list (A2S_PLAYER's count is one byte: a 300-player server lists at most 255), a player missing
 * from it may be beyond the cap: taken as gone only after this long unlisted, and ended at their last sighting.
 */
export const CAPPED_LIST_GRACE_MS = 10 * 60_000;
/**
 * A wipe time (A2S `born`, Rust+ wipeTime) later than the poll's clock by more than this is not believed: a
 * wipe ahead of now would stand as "the last wipe" and hide every real one after it.
 */
const WIPE_CLOCK_SKEW_MS = 60 * 60_000;
const believableWipe = (wipeAt: Date | null, now: number): Date | null => (wipeAt && wipeAt.getTime() <= now + WIPE_CLOCK_SKEW_MS ? wipeAt : null);

export class IntelPoller {
  readonly #listeners = new Set<IntelPollListener>();
  readonly #work: WorkSet;
  readonly #timers: Timers;
  readonly #random: () => number;
  readonly #gate: Gate;
  readonly #inFlight = new Set<string>();
  readonly #lastDiscovery = new Map<string, number>();
  readonly #toldNotFound = new Set<string>();
  /** Wipes applied from Rust+ info between two polls, reported by the next poll's result. */
  readonly #wipedSince = new Set<string>();
  /** The last Rust+ wipe time handled per "ip:appPort": every connection's info repeats it each minute. */
  readonly #rustWipes = new Map<string, number>();
  /** New sessions per server per rolling hour: a list that changes too fast stops being recorded. */
  readonly #flood = new SessionFlood();
  #enricher: PlayerEnricher | undefined;
  #cycleTimer: unknown;
  #serverTimers = new Set<unknown>();
  #stopped = true;
  /** Whether start() ran: pollNow() and /server query-port work without the schedule (tests, other processes). */
  #started = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly query: A2sQuery,
    private readonly logger: Logger,
    private readonly options: IntelPollerOptions,
  ) {
    this.#timers = options.timers ?? realTimers;
    this.#random = options.random ?? Math.random;
    this.#gate = new Gate(options.concurrency ?? 16);
    this.#work = new WorkSet((err) => logger.error({ err }, "an intel poll failed"));
  }

  /** Called after each answered poll; a failing listener is logged and the others still run. */
  onPoll(listener: IntelPollListener): void {
    this.#listeners.add(listener);
  }

  /** BattleMetrics enrichment (part B); undefined to poll on A2S alone. */
  setEnricher(enricher: PlayerEnricher | undefined): void {
    this.#enricher = enricher;
  }

  /**
   * Since when a server's list changes too fast to record (more new players within a rolling hour than
   * floodBound of its slots): its new sessions are not opened, so /player search cannot show them.
   * Undefined while it is recorded. Kept in memory: a restart records the server again until it trips again.
   */
  listTooFastSince(intelServerId: string): Date | undefined {
    return this.#flood.since(intelServerId);
  }

  /** Starts the interval (the first cycle right away); returns the stop function. */
  start(): () => void {
    this.#stopped = false;
    this.#started = true;
    this.#cycle();
    return () => this.stop();
  }

  stop(): void {
    this.#stopped = true;
    this.#timers.clearTimeout(this.#cycleTimer);
    for (const t of this.#serverTimers) this.#timers.clearTimeout(t);
    this.#serverTimers.clear();
  }

  /** Resolves when every poll started so far is done (tests and shutdown wait on it). */
  idle(): Promise<void> {
    return this.#work.idle();
  }

  /** Polls every followed server now, all of them, and resolves when done (tests; does not touch the schedule). */
  async pollNow(): Promise<Map<string, PollOutcome>> {
    const servers = await this.syncFollowed();
    const outcomes = new Map<string, PollOutcome>();
    await Promise.all(servers.map(async (s) => outcomes.set(s.id, await this.pollServer(s.id))));
    return outcomes;
  }

  /** Creates the IntelServer row of every followed (ip, app port) and returns them; lets go of the rest (#unfollow). */
  async syncFollowed(): Promise<IntelServer[]> {
    const followed = await this.prisma.pairedServer.findMany({ where: { live: true, needsRepairSince: null }, select: { ip: true, port: true }, distinct: ["ip", "port"] });
    await this.#unfollow(new Set(followed.map((f) => `${f.ip}:${f.port}`)));
    if (!followed.length) return [];
    const known = await this.prisma.intelServer.findMany({ where: { OR: followed.map((f) => ({ ip: f.ip, appPort: f.port })) } });
    const have = new Set(known.map((k) => `${k.ip}:${k.appPort}`));
    for (const f of followed) {
      if (have.has(`${f.ip}:${f.port}`)) continue;
      known.push(await this.prisma.intelServer.upsert({ where: { ip_appPort: { ip: f.ip, appPort: f.port } }, create: { ip: f.ip, appPort: f.port }, update: {} }));
    }
    return known;
  }

  /**
   * Servers no team follows any more (disconnected, removed, waiting to be paired again) are not polled: their
   * open sessions would read as "online now" for ever. They end at their last sighting, and the server is marked
   * unanswered, so a poll after it is followed again is a first poll (who is on then is not told as coming).
   */
  async #unfollow(followed: ReadonlySet<string>): Promise<void> {
    const answered = await this.prisma.intelServer.findMany({ where: { OR: [{ lastAnsweredAt: { not: null } }, { sessions: { some: { endedAt: null } } }] }, select: { id: true, ip: true, appPort: true } });
    for (const server of answered) {
      if (followed.has(`${server.ip}:${server.appPort}`)) continue;
      this.#flood.forget(server.id);
      await this.prisma.$transaction([
        this.prisma.$executeRaw`UPDATE "PlayerSession" SET "endedAt" = "lastSeenAt" WHERE "intelServerId" = ${server.id} AND "endedAt" IS NULL`,
        this.prisma.intelServer.update({ where: { id: server.id }, data: { lastAnsweredAt: null } }),
      ]);
      this.logger.info({ intelServerId: server.id }, "no team follows this server any more: its open sessions ended at their last sighting");
    }
  }

  /**
   * A wipe seen in Rust+ info (unix seconds): closes the server's open sessions if it is newer than the last one
   * known. Tracked with the polls (idle() waits for it); never rejects (a failure is logged).
   */
  wipeSeen(ip: string, appPort: number, wipeTime: number): Promise<void> {
    return this.#work.track(this.#wipeSeen(ip, appPort, wipeTime));
  }

  async #wipeSeen(ip: string, appPort: number, wipeTime: number): Promise<void> {
    const key = `${ip}:${appPort}`;
    if (!(wipeTime > 0) || this.#rustWipes.get(key) === wipeTime || !believableWipe(new Date(wipeTime * 1000), this.#timers.now())) return;
    const server = await this.prisma.intelServer.findUnique({ where: { ip_appPort: { ip, appPort } } });
    if (!server) return;
    this.#rustWipes.set(key, wipeTime);
    if (await this.#applyWipe(server, new Date(wipeTime * 1000))) this.#wipedSince.add(server.id);
  }

  /**
   * Polls one server: finds its query port if unknown, queries it, records sessions and tells listeners.
   * Never throws for the server's behaviour (no answer, bad answer); database errors reject.
   */
  async pollServer(intelServerId: string): Promise<PollOutcome> {
    if (this.#inFlight.has(intelServerId)) return "busy";
    this.#inFlight.add(intelServerId);
    await this.#gate.enter();
    try {
      return await this.#poll(intelServerId);
    } finally {
      this.#gate.leave();
      this.#inFlight.delete(intelServerId);
    }
  }

  /**
   * Sets a server's query port by hand (`port`, kept until set to "auto") or goes back to finding it ("auto"),
   * and probes it first. The IntelServer is shared by every team on that Rust server, so a port set by hand is
   * stored only when it answers as this server (answerMatches: its name or game port): one team cannot point
   * everyone's intel at a silent port or at another server on the host. Returns the port now stored (null:
   * none found), whether this call stored it, and the probe's answer, failure, or `otherServer`.
   */
  async setQueryPort(
    ip: string,
    appPort: number,
    port: number | "auto",
  ): Promise<{ port: number | null; stored: boolean; answer?: A2sAnswer; failure?: A2sError["kind"]; otherServer?: boolean }> {
    if (port === "auto") {
      const server = await this.prisma.intelServer.upsert({
        where: { ip_appPort: { ip, appPort } },
        create: { ip, appPort, queryPort: null, queryPortManual: false },
        update: { queryPort: null, queryPortManual: false },
      });
      const found = await this.discover(server);
      return found ? { port: found.port, stored: true, answer: found.answer } : { port: null, stored: true };
    }
    const known = await this.prisma.intelServer.findUnique({ where: { ip_appPort: { ip, appPort } } });
    let answer: A2sAnswer;
    try {
      answer = await this.query(ip, port);
    } catch (err) {
      if (!(err instanceof A2sError)) throw err;
      return { port: known?.queryPort ?? null, stored: false, failure: err.kind };
    }
    if (!answerMatches(answer, await this.#identity(ip, appPort, known?.name ?? null))) return { port: known?.queryPort ?? null, stored: false, answer, otherServer: true };
    await this.prisma.intelServer.upsert({
      where: { ip_appPort: { ip, appPort } },
      create: { ip, appPort, queryPort: port, queryPortManual: true },
      update: { queryPort: port, queryPortManual: true },
    });
    return { port, stored: true, answer };
  }

  /** What the Rust+ side knows of a server, to recognise its query port's answer: the pairings' names and its own. */
  async #identity(ip: string, appPort: number, name: string | null): Promise<ServerIdentity> {
    const names = await this.prisma.pairedServer.findMany({ where: { ip, port: appPort }, select: { serverName: true }, distinct: ["serverName"] });
    return { appPort, names: [...names.map((n) => n.serverName), ...(name ? [name] : [])] };
  }

  /** Finds (and stores) a server's query port now; returns the answer that proved it. */
  async discover(server: IntelServer): Promise<{ port: number; answer: A2sAnswer } | undefined> {
    const identity = await this.#identity(server.ip, server.appPort, server.name);
    const candidates = this.options.candidates?.(server.appPort) ?? queryPortCandidates(server.appPort);
    this.#lastDiscovery.set(server.id, this.#timers.now());
    const found = await discoverQueryPort(this.query, server.ip, identity, candidates, () => this.#stopped && this.#started);
    if (found) {
      await this.prisma.intelServer.updateMany({ where: { id: server.id, queryPortManual: false }, data: { queryPort: found.port } });
      this.logger.info({ intelServerId: server.id, queryPort: found.port }, "found a server's query port");
    } else if (!this.#toldNotFound.has(server.id)) {
      this.#toldNotFound.add(server.id); // once per process: the search repeats every rediscoverMs
      this.logger.info({ intelServerId: server.id, tried: candidates }, "no query port answered as this server; set it with /server query-port");
    }
    return found;
  }

  async #poll(intelServerId: string): Promise<PollOutcome> {
    let server = await this.prisma.intelServer.findUnique({ where: { id: intelServerId } });
    if (!server) return "no-query-port";
    const now = new Date(this.#timers.now());
    let answer: A2sAnswer | undefined;
    if (server.queryPort === null) {
      const last = this.#lastDiscovery.get(server.id);
      if (last !== undefined && this.#timers.now() - last < (this.options.rediscoverMs ?? 10 * 60_000)) return "no-query-port";
      const found = await this.discover(server);
      if (!found) {
        await this.prisma.intelServer.update({ where: { id: server.id }, data: { lastPolledAt: now } });
        return "no-query-port";
      }
      server = { ...server, queryPort: found.port };
      answer = found.answer;
    }
    if (!answer) {
      try {
        answer = await this.query(server.ip, server.queryPort!);
      } catch (err) {
        if (!(err instanceof A2sError)) throw err;
        // Marked once per silence (the update matches only while unreachableSince is null): logged once too.
        const { count } = await this.prisma.intelServer.updateMany({ where: { id: server.id, unreachableSince: null }, data: { unreachableSince: now, lastPolledAt: now } });
        if (count) this.logger.warn({ intelServerId: server.id, ip: server.ip, queryPort: server.queryPort, reason: err.kind }, "a followed server stopped answering its query port; its sessions stay open");
        else await this.prisma.intelServer.update({ where: { id: server.id }, data: { lastPolledAt: now } });
        // A port found (not set by hand) that stays silent may have moved: looked for again, sessions untouched.
        const rediscover = this.options.rediscoverMs ?? 10 * 60_000;
        if (!server.queryPortManual && server.unreachableSince && now.getTime() - server.unreachableSince.getTime() >= rediscover) {
          await this.prisma.intelServer.updateMany({ where: { id: server.id, queryPortManual: false }, data: { queryPort: null } });
        }
        return (await this.#fallback(server, now)) ?? "no-answer";
      }
    }
    return this.#record(server, answer, now, "a2s");
  }

  /** BattleMetrics' online list for a server whose query port is silent, where the enricher can give one. */
  async #fallback(server: IntelServer, now: Date): Promise<PollOutcome | undefined> {
    if (!this.#enricher) return undefined;
    const polled: PolledServer = { id: server.id, ip: server.ip, appPort: server.appPort, queryPort: server.queryPort, name: server.name, battlemetricsServerId: server.battlemetricsServerId };
    const list = await this.#enricher.fallbackList(polled).catch(() => undefined);
    if (!list) return undefined;
    const answer: A2sAnswer = {
      name: server.name ?? "", players: list.length, maxPlayers: server.maxPlayers ?? 0, queuedPlayers: server.queuedPlayers, wipeAt: null, gamePort: null, list, missingFromList: 0, unnamed: 0,
    };
    return this.#record(server, answer, now, "battlemetrics");
  }

  async #record(server: IntelServer, answer: A2sAnswer, now: Date, source: IntelPollResult["source"]): Promise<PollOutcome> {
    const polled: PolledServer = { id: server.id, ip: server.ip, appPort: server.appPort, queryPort: server.queryPort, name: answer.name, battlemetricsServerId: server.battlemetricsServerId };
    let wiped = this.#wipedSince.delete(server.id);
    const answerWipe = believableWipe(answer.wipeAt, now.getTime());
    if (answerWipe && (await this.#applyWipe(server, answerWipe))) wiped = true;
    const wipeAt = answerWipe && (!server.wipeAt || answerWipe > server.wipeAt) ? answerWipe : server.wipeAt;
    if (server.unreachableSince && source === "a2s") this.logger.info({ intelServerId: server.id }, "a followed server answers its query port again");
    let listed = answer.list?.slice(0, MAX_LISTED);
    if (listed && this.#enricher && source === "a2s") listed = await this.#enricher.enrich(polled, listed).catch((err: unknown) => {
      this.logger.warn({ err, intelServerId: server.id }, "enriching a poll failed; the A2S list is used as it is");
      return listed!;
    });
    const streamerMode = listed ? looksLikeStreamerMode(listed.map((p) => p.name)) : server.streamerMode;
    await this.prisma.intelServer.update({
      where: { id: server.id },
      data: {
        players: answer.players, maxPlayers: answer.maxPlayers, queuedPlayers: answer.queuedPlayers,
        ...(wipeAt && { wipeAt }), streamerMode, lastPolledAt: now,
        // BattleMetrics standing in says nothing about the query port: it stays marked silent.
        ...(source === "a2s" && { name: answer.name, lastAnsweredAt: now, unreachableSince: null }),
      },
    });
    if (answer.missingFromList > 0) this.logger.debug({ intelServerId: server.id, missing: answer.missingFromList }, "the server's player list is shorter than its player count");
    // No list (A2S_PLAYER unanswered, or an empty list while players are online) says nothing about who left.
    if (!listed) return "no-list";
    const transitions = await this.#applyDiff(server, listed, now, wipeAt ?? undefined, answer.missingFromList > 0, answer.maxPlayers);
    const result: IntelPollResult = { server: polled, at: now, source, listed, transitions, streamerMode, wiped };
    for (const listener of this.#listeners) {
      await listener(result).catch((err: unknown) => this.logger.error({ err, intelServerId: server.id }, "an intel poll listener failed"));
    }
    return "answered";
  }

  /**
   * Writes a poll's diff. A capped list (fewer names than players) cannot tell at once who left: a missing player
   * is closed only after CAPPED_LIST_GRACE_MS unlisted. The first poll of a server opens sessions without telling
   * them as comings.
   */
  async #applyDiff(server: IntelServer, listed: ListedPlayer[], now: Date, wipeAt: Date | undefined, capped: boolean, maxPlayers: number | null): Promise<PlayerTransition[]> {
    const open: OpenSession[] = await this.prisma.playerSession.findMany({
      where: { intelServerId: server.id, endedAt: null },
      select: { id: true, playerName: true, steamId: true, startedAt: true, lastSeenAt: true },
    });
    const diff = diffSessions(open, listed, now, wipeAt);
    // The flood bound: past it, new sessions are not opened (nor told); a refused reconnection keeps its old session.
    const flood = this.#flood.admit(server.id, diff.open.map((o) => o.player.name), diff.open.filter((o) => o.reconnectOf).length, listed.map((p) => p.name), floodBound(maxPlayers), now.getTime());
    if (flood.started) {
      this.logger.warn({ intelServerId: server.id, ip: server.ip, queryPort: server.queryPort, bound: floodBound(maxPlayers) }, "a server's player list changes too fast to record: new sessions are not opened until it slows down");
    } else if (flood.ended) this.logger.info({ intelServerId: server.id }, "a server's player list slowed down: its new sessions are recorded again");
    const refused = diff.open.slice(flood.allow);
    diff.open = diff.open.slice(0, flood.allow);
    const kept = new Set(refused.flatMap((o) => (o.reconnectOf ? [o.reconnectOf.id] : [])));
    if (kept.size) {
      diff.close = diff.close.filter((c) => !kept.has(c.session.id));
      for (const o of refused) if (o.reconnectOf) diff.touch.push({ session: o.reconnectOf, player: o.player });
    }
    const firstPoll = server.lastAnsweredAt === null;
    const close = capped ? diff.close.filter((c) => c.reason === "reconnected" || now.getTime() - c.session.lastSeenAt.getTime() >= CAPPED_LIST_GRACE_MS) : diff.close;
    const transitions: PlayerTransition[] = [];
    await this.prisma.$transaction(async (tx) => {
      // Every closing at its own time (the last sighting), so one update per distinct time; usually one or two.
      const byEnd = new Map<number, string[]>();
      for (const c of close) {
        const ids = byEnd.get(c.endedAt.getTime());
        if (ids) ids.push(c.session.id);
        else byEnd.set(c.endedAt.getTime(), [c.session.id]);
      }
      for (const [end, ids] of byEnd) await tx.playerSession.updateMany({ where: { id: { in: ids }, endedAt: null }, data: { endedAt: new Date(end) } });
      if (diff.touch.length) await tx.playerSession.updateMany({ where: { id: { in: diff.touch.map((t) => t.session.id) } }, data: { lastSeenAt: now } });
      // A Steam id learnt for a session recorded by name (BattleMetrics enrichment).
      for (const t of diff.touch) {
        if (t.player.steamId && !t.session.steamId) await tx.playerSession.update({ where: { id: t.session.id }, data: { steamId: t.player.steamId, ...(t.player.battlemetricsPlayerId && { battlemetricsPlayerId: t.player.battlemetricsPlayerId }) } });
      }
      const created = await tx.playerSession.createManyAndReturn({
        data: diff.open.map((o) => ({
          intelServerId: server.id, playerName: o.player.name, steamId: o.player.steamId ?? null, battlemetricsPlayerId: o.player.battlemetricsPlayerId ?? null, startedAt: o.startedAt, lastSeenAt: now,
        })),
        select: { id: true, playerName: true, steamId: true, battlemetricsPlayerId: true, startedAt: true },
      });
      for (const c of close) transitions.push({ sessionId: c.session.id, playerName: c.session.playerName, ...(c.session.steamId && { steamId: c.session.steamId }), online: false, at: c.endedAt });
      if (!firstPoll) {
        for (const s of created) if (!flood.unrecorded?.has(s.playerName)) transitions.push({ sessionId: s.id, playerName: s.playerName, ...(s.steamId && { steamId: s.steamId }), ...(s.battlemetricsPlayerId && { battlemetricsPlayerId: s.battlemetricsPlayerId }), online: true, at: s.startedAt });
      }
    });
    return transitions;
  }

  /** Closes every open session at a wipe newer than the one known, records it; true when it was newer. */
  async #applyWipe(server: IntelServer, wipeAt: Date): Promise<boolean> {
    const known = server.wipeAt;
    if (known && wipeAt <= known) return false;
    const { count } = await this.prisma.intelServer.updateMany({ where: { id: server.id, OR: [{ wipeAt: null }, { wipeAt: { lt: wipeAt } }] }, data: { wipeAt } });
    if (!count) return false;
    const open = await this.prisma.playerSession.findMany({ where: { intelServerId: server.id, endedAt: null, startedAt: { lt: wipeAt } }, select: { id: true, lastSeenAt: true } });
    // Ended at the wipe, or at the last sighting when that came before it (they may have left earlier).
    const seenAfter: string[] = [];
    for (const s of open) {
      if (s.lastSeenAt < wipeAt) await this.prisma.playerSession.update({ where: { id: s.id }, data: { endedAt: s.lastSeenAt } });
      else seenAfter.push(s.id);
    }
    if (seenAfter.length) await this.prisma.playerSession.updateMany({ where: { id: { in: seenAfter } }, data: { endedAt: wipeAt } });
    server.wipeAt = wipeAt;
    if (open.length) this.logger.info({ intelServerId: server.id, wipeAt, closed: open.length }, "a wipe closed the server's open sessions");
    // The first wipe time ever learnt for a server is a fact recorded, not a wipe seen happening.
    return known !== null;
  }

  /** One interval: every followed server gets one poll at a random offset within it. */
  #cycle(): void {
    if (this.#stopped) return;
    const interval = this.options.intervalMs;
    this.#cycleTimer = this.#timers.setTimeout(() => this.#cycle(), interval);
    void this.#work.track(
      this.syncFollowed().then((servers) => {
        for (const s of servers) {
          const handle = this.#timers.setTimeout(() => {
            this.#serverTimers.delete(handle);
            if (!this.#stopped) void this.#work.track(this.pollServer(s.id));
          }, Math.floor(this.#random() * interval * 0.9));
          this.#serverTimers.add(handle);
        }
      }),
    );
  }
}
