// Map events, deaths and logins for every connected server in this process. Each ready connection gets a
// session: the team read once (later changes come as teamChanged broadcasts), the map's monuments read once
// (getMap costs 5 tokens), then getMapMarkers polled in the background until the connection's state changes.
// Each answer also tells whether the server reports the marker kinds events are read from (marker-watch.ts).
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { RustConnection } from "../rustplus/connection.ts";
import { realTimers, type Timers } from "../rustplus/timers.ts";
import { MapTracker, OIL_RIG_TOKENS } from "./map-tracker.ts";
import { hasNpcVending, MarkerWatch } from "./marker-watch.ts";
import { postMapEvent, postTeamChange, type ServerContext } from "./post.ts";
import { recordCoverage } from "./record-coverage.ts";
import { mapMarker, monument, parseEach, teamMember, type MapMarker, type Monument } from "./schemas.ts";
import type { DeathMatcher } from "./death-matcher.ts";
import { TeamTracker } from "./team-tracker.ts";
import { storedKinds, WATCHED_KINDS, type WatchedKind } from "./watched-kinds.ts";
import { KeyedQueue, WorkSet } from "../work-set.ts";
import type { MapImages } from "../map/map-image-store.ts";
import type { MarketFeed } from "../shop/types.ts";

export const POLL_EVERY_MS = 12_000;

export interface ServerEventsOptions {
  timers?: Timers | undefined;
  pollEveryMs?: number;
  /** Shared with the push handler: a death seen in the team state and in a push is posted once. */
  deaths?: DeathMatcher | undefined;
  /** The stored map image of each wipe: a reconnect in the same wipe reads the monuments from it, not from getMap. */
  maps?: MapImages | undefined;
  /** Shop tracking's market (src/shop/): given every getMapMarkers answer, and told when a session ends. */
  markets?: MarketFeed | undefined;
}

interface Session {
  connection: RustConnection;
  server: ServerContext;
  map: MapTracker | null;
  /** Kinds recorded as not reported (read when the session opened, then kept in step with what it records). */
  unreported: Set<WatchedKind>;
  timer: unknown;
  ended: boolean;
  /** When its first markers answer was read (the session is seeded); undefined until then. */
  seededAt?: number;
}

export class ServerEvents {
  readonly #sessions = new Map<string, Session>();
  /** Kept across reconnects (a death during a short outage still posts once); dropped when a server is closed. */
  readonly #teams = new Map<string, TeamTracker>();
  readonly #contexts = new Map<string, ServerContext>();
  /** Kept across reconnects like teams: polling time adds up over the connections of this process. */
  readonly #watches = new Map<string, MarkerWatch>();
  readonly #work = new WorkSet((err) => this.logger.error({ err }, "server events work failed"));
  /** Posts per server, one after another, so they reach Discord in the order they happened. */
  readonly #queues = new KeyedQueue(this.#work, (err, serverId) => this.logger.error({ err, serverId }, "posting a server event failed"));
  readonly #seedWaiters = new Map<string, (() => void)[]>();
  readonly #timers: Timers;
  readonly #pollEveryMs: number;
  readonly #deaths: DeathMatcher | undefined;
  readonly #maps: MapImages | undefined;
  readonly #markets: MarketFeed | undefined;

  constructor(
    private readonly rust: ConnectionManager,
    private readonly prisma: PrismaClient,
    private readonly notifier: Notifier,
    private readonly logger: Logger,
    options: ServerEventsOptions = {},
  ) {
    this.#timers = options.timers ?? realTimers;
    this.#pollEveryMs = options.pollEveryMs ?? POLL_EVERY_MS;
    this.#deaths = options.deaths;
    this.#maps = options.maps;
    this.#markets = options.markets;
  }

  /** Called after every (re)connect: starts this connection's session without holding up other hooks. */
  ready(serverId: string, connection: RustConnection): void {
    this.#end(serverId);
    this.#work.track(this.#open(serverId, connection));
  }

  /** Resolves when this server's next session has read the team and seeded its markers (for tests). */
  seeded(serverId: string): Promise<void> {
    return new Promise((resolve) => this.#seedWaiters.set(serverId, [...(this.#seedWaiters.get(serverId) ?? []), resolve]));
  }

  /**
   * Resolves when this server's current session has seeded, at once if it already has, else as seeded() (for tests:
   * after a restart the restore connects without waiting on the clock, so the session may be seeded before a test
   * could ask for the next one).
   */
  sessionSeeded(serverId: string): Promise<void> {
    return this.#sessions.get(serverId)?.seededAt !== undefined ? Promise.resolve() : this.seeded(serverId);
  }

  async #open(serverId: string, connection: RustConnection): Promise<void> {
    const row = await this.prisma.pairedServer.findUnique({ where: { id: serverId } });
    const info = this.rust.status(serverId)?.snapshot?.info;
    if (!row || !info || this.rust.get(serverId) !== connection || connection.state.kind !== "connected") return;
    // The monuments of the last session until this one has read the map (the same map until a wipe).
    const monuments = this.#contexts.get(serverId)?.monuments ?? [];
    const server: ServerContext = { serverId, userId: row.userId, serverName: row.serverName || `${row.ip}:${row.port}`, mapSize: info.mapSize, wipeTime: info.wipeTime, monuments };
    this.#contexts.set(serverId, server);
    const session: Session = { connection, server, map: null, unreported: new Set(storedKinds(row.unreportedMarkers)), timer: undefined, ended: false };
    // A quicker reconnect may have opened a session while this one read the database: the latest wins.
    this.#end(serverId);
    this.#sessions.set(serverId, session);
    await this.#begin(session);
  }

  /** A connection left the connected state: its polling stops; a closed or refused server forgets its team. */
  stateChanged(serverId: string, kind: string): void {
    if (kind === "connected") return;
    this.#end(serverId);
    if (kind === "stopped" || kind === "rejected") {
      this.#teams.delete(serverId);
      this.#contexts.delete(serverId);
      this.#watches.delete(serverId);
      this.#markets?.forget?.(serverId);
    }
  }

  /** A team state (getTeamInfo answer or teamChanged broadcast): the changes it shows are posted once. */
  teamState(serverId: string, members: unknown): void {
    const valid = parseEach(teamMember, members, this.logger.child({ serverId }), "team member");
    let tracker = this.#teams.get(serverId);
    if (!tracker) this.#teams.set(serverId, (tracker = new TeamTracker()));
    const changes = tracker.update(valid);
    const server = this.#contexts.get(serverId);
    if (!server) return;
    for (const change of changes) this.#queues.push(serverId, () => postTeamChange(this.prisma, this.notifier, server, change, this.#timers.now(), this.#deaths));
  }

  /** The named places of a server's map as last read (empty until read), for "G12 near Outpost". */
  monuments(serverId: string): readonly Monument[] {
    return this.#contexts.get(serverId)?.monuments ?? [];
  }

  stopAll(): void {
    for (const id of [...this.#sessions.keys()]) this.#end(id);
  }

  /** Resolves when polls and posts already started are done (for tests). */
  async settled(): Promise<void> {
    await this.#work.idle();
  }

  async #begin(session: Session): Promise<void> {
    const { serverId } = session.server;
    const log = this.logger.child({ serverId });
    try {
      const team = await session.connection.request({ getTeamInfo: {} }, "background");
      if (!session.ended) this.teamState(serverId, team.teamInfo?.members);
    } catch (err) {
      log.warn({ err }, "reading the team failed; deaths and logins follow broadcasts only");
    }
    try {
      const info = this.rust.status(serverId)?.snapshot?.info;
      if (this.#maps && info) session.server.monuments = (await this.#maps.current(serverId, info, "background")).monuments;
      else {
        const map = await session.connection.request({ getMap: {} }, "background");
        session.server.monuments = parseEach(monument, map.map?.monuments, log, "monument");
      }
    } catch (err) {
      log.warn({ err }, "reading the map failed; oil rig calls will not be noticed and places not named on this connection");
    }
    if (session.ended) return;
    session.map = new MapTracker(session.server.mapSize, session.server.monuments.filter((m) => OIL_RIG_TOKENS.has(m.token)));
    await this.#poll(session);
    session.seededAt = this.#timers.now();
    for (const resolve of this.#seedWaiters.get(serverId) ?? []) resolve();
    this.#seedWaiters.delete(serverId);
  }

  async #poll(session: Session): Promise<void> {
    if (session.ended || !session.map) return;
    const { serverId } = session.server;
    try {
      const response = await session.connection.request({ getMapMarkers: {} }, "background");
      if (session.ended) return;
      const markers = parseEach(mapMarker, response.mapMarkers?.markers, this.logger.child({ serverId }), "map marker");
      const now = this.#timers.now();
      const back = this.#watch(session, markers, now);
      const events = session.map.update(markers, new Set(back.map((k) => WATCHED_KINDS[k].type)));
      const { server } = session;
      this.#markets?.observe({
        serverId, userId: server.userId, serverName: server.serverName, mapSize: server.mapSize, wipeAt: server.wipeTime * 1000, monuments: server.monuments,
        npcVending: hasNpcVending(server.monuments.map((m) => m.token)), markers: response.mapMarkers?.markers, now,
      });
      for (const e of events) this.#queues.push(serverId, () => postMapEvent(this.prisma, this.notifier, session.server, e, now));
    } catch (err) {
      this.logger.debug({ err, serverId }, "polling map markers failed");
    } finally {
      if (!session.ended) session.timer = this.#timers.setTimeout(() => this.#work.track(this.#poll(session)), this.#pollEveryMs);
    }
  }

  /**
   * What this answer says about the kinds the server reports: a change from what is recorded is recorded and told
   * once. Returns the kinds that are back (reported again after being recorded as not).
   */
  #watch(session: Session, markers: readonly MapMarker[], now: number): WatchedKind[] {
    const { serverId } = session.server;
    let watch = this.#watches.get(serverId);
    if (!watch) this.#watches.set(serverId, (watch = new MarkerWatch(this.#pollEveryMs)));
    const npcVending = hasNpcVending(session.server.monuments.map((m) => m.token));
    const coverage = watch.observe(session, markers, now, npcVending);
    const silent = coverage.silent.filter((k) => !session.unreported.has(k));
    const back = coverage.seen.filter((k) => session.unreported.has(k));
    if (!silent.length && !back.length) return [];
    // Changed here at once, so a failing write is tried once, not at every poll.
    for (const k of silent) session.unreported.add(k);
    for (const k of back) session.unreported.delete(k);
    this.#queues.push(serverId, () => recordCoverage(this.prisma, this.notifier, session.server, { silent, back }, now));
    return back;
  }

  #end(serverId: string): void {
    const session = this.#sessions.get(serverId);
    if (!session) return;
    session.ended = true;
    this.#timers.clearTimeout(session.timer);
    this.#sessions.delete(serverId);
    this.#markets?.ended(serverId);
  }
}
