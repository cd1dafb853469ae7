// The fake Rust+ server: a `ws` server on 127.0.0.1 at path "/" (direct mode, ws://ip:port/) speaking
// AppRequest/AppMessage. Each request goes: per-IP bucket → steamId/token check → per-player bucket → handler.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { BucketList, COSTS, DEFAULT_COST, IP_BUCKET, ManualClock, PLAYER_BUCKET, type BucketRule } from "./buckets.ts";
import { decodeRequest, encodeMessage, type AppRequest, type Encoding, type RequestKind } from "./protocol.ts";
import { SocketRecorder, type SocketRecord } from "./socket-recorder.ts";
import { EntityType, World, entityPayload, type ChatMessage, type Entity, type Item, type Marker, type StorageMonitor, type SteamId, type Team, type TeamMember, type WorldInit } from "./world.ts";

export interface Limits {
  /** 500 per server. */ maxConnections: number; /** 5 per IP. */ maxConnectionsPerIp: number;
  ipBucket: BucketRule; playerBucket: BucketRule; costs: Partial<Record<RequestKind, number>>;
}
export interface PlayerInit { steamId: SteamId; playerToken: number; /** For a player in no team; default "Player <steamId>". */ name?: string }
export interface FakeRustServerOptions {
  /** Default 0: any free port. */ port?: number;
  /** "manual": time moves only with advance(ms). Default "real" (Date.now). */ clock?: "real" | "manual" | (() => number);
  world?: WorldInit; players?: PlayerInit[]; limits?: Partial<Limits>;
  /**
   * How a connection over the limits is refused. "close-before-handshake" (default) is the real server's way:
   * CompanionServer.Listener's Fleck callback calls socket.Close() when ConnectionLimiter.TryAdd fails (over
   * app.maxconnections or app.maxconnectionsperip), and Fleck runs that callback after reading the upgrade request
   * but before its 101 answer, so the client gets a WebSocket close frame (1000) where the HTTP answer belongs,
   * then the end of the socket (decompiled server: github.com/iraizo/rustpseudo CompanionServer/Listener.cs and
   * ConnectionLimiter.cs; Fleck's WebSocketConnection.CreateHandler and Close, github.com/statianzo/Fleck).
   * "reject-upgrade": an HTTP 429 answer; "close-after-open": the upgrade succeeds, then the socket is closed at once.
   */
  overLimit?: OverLimit;
  /** Check every message's shape (fields the schema has, of their types) before sending it; one that fails lands in `faults` (default true). */ checkResponses?: boolean;
  /** "omit-defaults" (default): every field at its default is left off the wire, as real servers do since March 2025 (protocol.ts). */ encoding?: Encoding;
  /** Where accepted sockets are recorded (share one between servers to check a fleet); default: one of its own. */ recorder?: SocketRecorder;
}
export type OverLimit = "close-before-handshake" | "reject-upgrade" | "close-after-open";
export interface ConnectionInfo { ip: string; /** Of its last valid request. */ playerId: SteamId | null; /** Asked about with getEntityInfo. */ entities: number[]; /** Its record in `recorder`. */ socket: SocketRecord }

interface Player { steamId: SteamId; token: number; name: string; subscribed: boolean }
interface Connection { ws: WebSocket; ip: string; playerId: SteamId | null; entities: Set<number>; record: SocketRecord }
type Outcome = { error: string } | Record<string, unknown>;

/** The error for requests the fake does not model (nexus, camera, clan writes, a request with no operation). */
export const UNSUPPORTED = "unsupported_by_fake";
const CHAT_LIMIT = 128;

export class FakeRustServer {
  world: World;
  /** Requests received (before any check), by operation; "none" when no operation field was set. */
  readonly requests: Record<string, number> = {};
  readonly errorsSent: Record<string, number> = {};
  rateLimited = 0;
  malformedRequests = 0;
  refusedConnections = 0;
  /** Messages the fake could not send (its own bug: a field the schema lacks, or of the wrong type); they are dropped, not sent. */
  readonly faults: Error[] = [];
  readonly now: () => number;
  /** Called as each valid request is about to be answered: a test acts at that moment (a line said during a read). */
  beforeAnswer: ((kind: RequestKind | "none") => void) | undefined;
  /** Every socket it accepted: opened, closed, each message's time and its player (see socket-recorder.ts). */
  readonly recorder: SocketRecorder;
  readonly #manual: ManualClock | undefined;
  readonly #limits: Limits;
  readonly #overLimit: OverLimit;
  readonly #check: boolean;
  readonly #encoding: Encoding;
  readonly #players = new Map<SteamId, Player>();
  readonly #conns = new Set<Connection>();
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #http = createServer((_request, response) => response.writeHead(426).end());
  #ipBuckets: BucketList<string>;
  #playerBuckets: BucketList<SteamId>;
  #port: number;
  #up = false;
  #reachable = true;

  private constructor(options: FakeRustServerOptions) {
    this.#manual = options.clock === "manual" ? new ManualClock() : undefined;
    this.now = this.#manual?.now ?? (typeof options.clock === "function" ? options.clock : Date.now);
    this.#limits = { maxConnections: 500, maxConnectionsPerIp: 5, ipBucket: IP_BUCKET, playerBucket: PLAYER_BUCKET, ...options.limits, costs: { ...COSTS, ...options.limits?.costs } };
    this.#overLimit = options.overLimit ?? "close-before-handshake";
    this.#check = options.checkResponses ?? true;
    this.#encoding = options.encoding ?? "omit-defaults";
    this.#port = options.port ?? 0;
    this.recorder = options.recorder ?? new SocketRecorder();
    this.world = new World(this.#seconds(), options.world);
    for (const p of options.players ?? []) this.addPlayer(p.steamId, p.playerToken, p.name);
    this.#ipBuckets = new BucketList(this.#limits.ipBucket, this.now);
    this.#playerBuckets = new BucketList(this.#limits.playerBucket, this.now);
    this.#http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(request, socket, head));
  }

  static async start(options: FakeRustServerOptions = {}): Promise<FakeRustServer> {
    const server = new FakeRustServer(options);
    await server.resume();
    return server;
  }

  get port(): number { return this.#port; }
  /** Open sockets. */
  get connections(): number { return this.#conns.size; }
  get isUp(): boolean { return this.#up; }
  connectionInfo(): ConnectionInfo[] {
    return [...this.#conns].map((c) => ({ ip: c.ip, playerId: c.playerId, entities: [...c.entities], socket: c.record }));
  }
  /** Open connections per client IP (the unit of the per-IP cap). */
  connectionsPerIp(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const c of this.#conns) counts[c.ip] = (counts[c.ip] ?? 0) + 1;
    return counts;
  }

  /** Moves the manual clock (buckets refill, chat and death times follow). Throws unless started with clock: "manual". */
  advance(ms: number): void {
    if (!this.#manual) throw new Error('advance() needs FakeRustServer.start({ clock: "manual" })');
    this.#manual.advance(ms);
  }

  // Lifecycle

  /**
   * Closes every socket and stops listening: connecting is refused (ECONNREFUSED) until resume(). The game process
   * ends: the team chat history, kept in memory only, is gone (the world's saved state stays).
   */
  async stop(): Promise<void> {
    if (!this.#up) return;
    this.#up = false;
    this.world.chatLog = [];
    this.dropConnections();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  /** Listens again on the same port; buckets start full, as after a real restart. */
  async resume(): Promise<void> {
    if (this.#up) return;
    this.#ipBuckets.clear();
    this.#playerBuckets.clear();
    await new Promise<void>((resolve, reject) => {
      this.#http.once("error", reject);
      this.#http.listen(this.#port, "127.0.0.1", () => { this.#http.off("error", reject); resolve(); });
    });
    this.#port = (this.#http.address() as AddressInfo).port;
    this.#up = true;
  }

  /** stop(), then `whileDown` (e.g. wipe, or assertions that connecting fails), then resume() on the same port. */
  async restart(whileDown?: () => unknown): Promise<void> {
    await this.stop();
    await whileDown?.();
    await this.resume();
  }

  async close(): Promise<void> {
    await this.stop();
    this.#wss.close();
  }

  /**
   * A network outage between the bot and the server while `during` runs: every socket drops and connecting fails
   * (HTTP 503 to the upgrade); the game goes on, so chat said meanwhile is in its history when the bot is back.
   */
  async networkOutage(during: () => unknown): Promise<void> {
    this.#reachable = false;
    this.dropConnections();
    try {
      await during();
    } finally {
      this.#reachable = true;
    }
  }

  /** Terminates every socket, like a network drop: clients see `disconnected`. */
  dropConnections(): void {
    for (const conn of this.#conns) conn.ws.terminate();
    this.#conns.clear();
  }

  // Players

  addPlayer(steamId: SteamId, playerToken: number, name = `Player ${steamId}`): void {
    this.#players.set(steamId, { steamId, token: playerToken, name, subscribed: true });
  }

  /** The pairing is revoked: that player's requests answer not_found. */
  removePlayer(steamId: SteamId): void { this.#players.delete(steamId); }

  /**
   * A map wipe: every player token stops working (not_found until addPlayer again), entities, team, chat and markers are
   * gone, wipeTime is now; `init` sets the new world's parts. Sockets stay open (use restart(() => wipe()) for the real order).
   */
  wipe(init: WorldInit = {}): void {
    const old = this.world;
    this.#players.clear();
    for (const conn of this.#conns) { conn.entities.clear(); conn.playerId = null; }
    this.world = new World(this.#seconds(), { reportedMarkers: [...old.reportedMarkers], ...init, time: { ...old.time, ...init.time }, map: { ...old.map, ...init.map },
      info: { ...old.info, wipeTime: this.#seconds(), ...init.info } });
  }

  // World changes as if made in game; each sends the broadcasts the real server would.

  addEntity(id: number, entity: Entity): void { this.world.entities.set(id, entity); }
  /** Destroyed: getEntityInfo and setEntityValue answer not_found from now on. */
  removeEntity(id: number): void { this.world.entities.delete(id); }

  /** A switch flipped or an alarm powered in game: entityChanged to the connections that asked about it. */
  setEntityValue(id: number, value: boolean): void {
    const entity = this.world.entities.get(id);
    if (!entity || entity.type === EntityType.StorageMonitor) throw new Error(`entity ${id} is not a switch or an alarm`);
    entity.value = value;
    this.#entityChanged(id, entity);
  }

  triggerAlarm(id: number): void {
    if (this.world.entities.get(id)?.type !== EntityType.Alarm) throw new Error(`entity ${id} is not an alarm`);
    this.setEntityValue(id, true);
  }

  /** New contents (and optionally capacity/upkeep) of a storage monitor: two entityChanged broadcasts, as the game sends. */
  setStorage(id: number, items: Item[], changes: Partial<Omit<StorageMonitor, "type" | "items">> = {}): void {
    const entity = this.world.entities.get(id);
    if (entity?.type !== EntityType.StorageMonitor) throw new Error(`entity ${id} is not a storage monitor`);
    Object.assign(entity, changes, { items });
    this.#entityChanged(id, entity);
  }

  setMarkers(markers: Marker[]): void { this.world.markers = markers; }

  /** Replaces the team (null: no team); teamChanged to the connections of old and new members. */
  setTeam(team: Team | null): void {
    const before = this.world.team?.members.map((m) => m.steamId) ?? [];
    this.world.team = team;
    this.#teamChanged([...before, ...(team?.members.map((m) => m.steamId) ?? [])]);
  }

  /** Position, online, alive… of one member; teamChanged to the team. */
  updateMember(steamId: SteamId, changes: Partial<Omit<TeamMember, "steamId">>): void {
    Object.assign(this.#member(steamId), changes);
    this.#teamChanged(this.#teamIds());
  }

  killPlayer(steamId: SteamId): void { this.updateMember(steamId, { isAlive: false, deathTime: this.#seconds() }); }

  /** A member typed in team chat in game: stored and broadcast as teamMessage to the team's connections. */
  postTeamMessage(fromSteamId: SteamId, text: string, color = "#5af"): ChatMessage {
    const member = this.#member(fromSteamId);
    const message: ChatMessage = { steamId: member.steamId, name: member.name, message: text.slice(0, CHAT_LIMIT), color, time: this.#seconds() };
    this.world.recordChat(message);
    this.#sendTo(this.#teamConns(this.#teamIds()), { teamMessage: { message } });
    return message;
  }

  /** Any AppBroadcast, as is, to every connection. */
  broadcast(broadcast: Record<string, unknown>): void { this.#sendTo(this.#conns, broadcast); }

  /** Bytes to every connection, unchecked (malformed-response tests). */
  sendRaw(data: Uint8Array): void {
    for (const conn of this.#conns) if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(data);
  }

  // Connections

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: string): void => { socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`); };
    if (!this.#reachable) return refuse("503 Service Unavailable");
    if (new URL(request.url ?? "/", "http://127.0.0.1").pathname !== "/") return refuse("404 Not Found");
    const ip = (request.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const full = this.#conns.size >= this.#limits.maxConnections || [...this.#conns].filter((c) => c.ip === ip).length >= this.#limits.maxConnectionsPerIp;
    if (full) this.refusedConnections++;
    if (full && this.#overLimit === "reject-upgrade") return refuse("429 Too Many Requests");
    // FIN + close opcode, 2-byte payload: status 1000 (Fleck's Close() is a normal closure), then the socket ends.
    if (full && this.#overLimit === "close-before-handshake") return void socket.end(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      if (full) return ws.close(1008, "too many connections");
      const record = this.recorder.opened(`127.0.0.1:${this.#port}`, ip, request.socket.remotePort ?? 0);
      const conn: Connection = { ws, ip, playerId: null, entities: new Set(), record };
      this.#conns.add(conn);
      ws.on("message", (data) => this.#onMessage(conn, data));
      ws.on("close", () => {
        this.#conns.delete(conn);
        this.recorder.closed(record);
      });
      ws.on("error", () => ws.terminate());
    });
  }

  #onMessage(conn: Connection, data: RawData): void {
    this.recorder.received(conn.record);
    const decoded = decodeRequest(Array.isArray(data) ? Buffer.concat(data) : new Uint8Array(data));
    if (!decoded.ok) { this.malformedRequests++; return; }
    const { request, kind } = decoded;
    this.requests[kind] = (this.requests[kind] ?? 0) + 1;
    const cost = kind === "none" ? DEFAULT_COST : this.#limits.costs[kind] ?? DEFAULT_COST;
    const player = this.#players.get(request.playerId);
    let outcome: Outcome;
    if (!this.#ipBuckets.take(conn.ip, cost)) outcome = { error: "rate_limit" };
    else if (!player || player.token !== request.playerToken) outcome = { error: "not_found" };
    else if (!this.#playerBuckets.take(player.steamId, cost)) outcome = { error: "rate_limit" };
    else {
      conn.playerId = player.steamId;
      this.recorder.identified(conn.record, player.steamId);
      this.beforeAnswer?.(kind);
      outcome = this.#handle(conn, player, request, kind);
    }
    if (typeof outcome["error"] === "string") {
      const error = outcome["error"];
      this.errorsSent[error] = (this.errorsSent[error] ?? 0) + 1;
      if (error === "rate_limit") this.rateLimited++;
      outcome = { error: { error } };
    }
    this.#send(conn, { response: { seq: request.seq, ...outcome } });
  }

  #handle(conn: Connection, player: Player, request: AppRequest, kind: RequestKind | "none"): Outcome {
    const world = this.world;
    const inTeam = world.member(player.steamId) !== undefined;
    switch (kind) {
      case "getInfo": return { info: world.info };
      case "getTime": return { time: world.time };
      case "getMap": return { map: world.map };
      case "getMapMarkers": return { mapMarkers: { markers: world.reportedMarkerList() } };
      case "getTeamInfo": return { teamInfo: world.teamInfo(player.steamId, this.#self(player)) };
      // A player in no team gets no_team (CompanionServer/Handlers/TeamChat.cs).
      case "getTeamChat": return inTeam ? { teamChat: { messages: world.chatLog } } : { error: "no_team" };
      case "checkSubscription": return { flag: { value: player.subscribed } };
      case "setSubscription": player.subscribed = request.setSubscription?.value ?? false; return { success: {} };
      case "getClanInfo": return { clanInfo: {} };
      case "getClanChat": return { clanChat: { messages: [] } };
      case "sendTeamMessage": {
        if (!inTeam) return { error: "message_not_sent" };
        this.postTeamMessage(player.steamId, request.sendTeamMessage?.message ?? "");
        return { success: {} };
      }
      case "promoteToLeader": {
        const team = world.team;
        const target = request.promoteToLeader?.steamId ?? "";
        if (!team || team.leaderSteamId !== player.steamId || !world.member(target)) return { error: "not_found" };
        team.leaderSteamId = target;
        this.#teamChanged(this.#teamIds());
        return { success: {} };
      }
      case "getEntityInfo": {
        const id = request.entityId ?? 0;
        const entity = world.entities.get(id);
        if (!entity) return { error: "not_found" };
        conn.entities.add(id);
        return { entityInfo: { type: entity.type, payload: entityPayload(entity) } };
      }
      case "setEntityValue": {
        const id = request.entityId ?? 0;
        const entity = world.entities.get(id);
        if (entity?.type !== EntityType.Switch) return { error: "not_found" };
        this.setEntityValue(id, request.setEntityValue?.value ?? false);
        return { success: {} };
      }
      default: return { error: UNSUPPORTED };
    }
  }

  // Sending

  #send(conn: Connection, message: { response?: object; broadcast?: object }): void {
    let bytes: Uint8Array;
    try {
      bytes = encodeMessage(message, { encoding: this.#encoding, check: this.#check });
    } catch (error) {
      this.faults.push(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(bytes);
  }

  #sendTo(conns: Iterable<Connection>, broadcast: object): void {
    for (const conn of conns) this.#send(conn, { broadcast });
  }

  #entityChanged(id: number, entity: Entity): void {
    const subscribers = [...this.#conns].filter((c) => c.entities.has(id));
    // A storage monitor's change comes as a bare { value: true } first, then the contents (inferred from bots that skip the first).
    if (entity.type === EntityType.StorageMonitor) this.#sendTo(subscribers, { entityChanged: { entityId: id, payload: { value: true } } });
    this.#sendTo(subscribers, { entityChanged: { entityId: id, payload: entityPayload(entity) } });
  }

  #teamChanged(steamIds: SteamId[]): void {
    for (const conn of this.#teamConns(steamIds)) {
      const player = conn.playerId === null ? undefined : this.#players.get(conn.playerId);
      if (!player) continue;
      this.#send(conn, { broadcast: { teamChanged: { playerId: player.steamId, teamInfo: this.world.teamInfo(player.steamId, this.#self(player)) } } });
    }
  }

  #teamIds(): SteamId[] { return this.world.team?.members.map((m) => m.steamId) ?? []; }
  #teamConns(steamIds: SteamId[]): Connection[] {
    const ids = new Set(steamIds);
    return [...this.#conns].filter((c) => c.playerId !== null && ids.has(c.playerId));
  }

  #member(steamId: SteamId): TeamMember {
    const member = this.world.member(steamId);
    if (!member) throw new Error(`${steamId} is not in the team`);
    return member;
  }

  #self(player: Player): TeamMember {
    return this.world.member(player.steamId) ?? {
      steamId: player.steamId, name: player.name, x: 0, y: 0, isOnline: true, spawnTime: this.#seconds() - 600, isAlive: true, deathTime: 0,
    };
  }

  #seconds(): number { return Math.floor(this.now() / 1000); }
}
