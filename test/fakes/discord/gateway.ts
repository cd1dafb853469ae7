import type { IncomingMessage, Server } from "node:http";
import { randomBytes } from "node:crypto";
import {
  GatewayCloseCodes, GatewayDispatchEvents, GatewayOpcodes, ApplicationFlags,
  type APIUser, type GatewayDispatchPayload, type GatewayGuildCreateDispatchData, type GatewayReceivePayload,
  type GatewaySendPayload,
} from "discord-api-types/v10";
import { WebSocketServer, type WebSocket } from "ws";
import { Log } from "./waitable.ts";

export interface GatewayHost {
  token: string; shardCount: number; heartbeatIntervalMs: number; botUser: APIUser; applicationId: string;
  gatewayUrl(): string; guildsOfShard(shardId: number): GatewayGuildCreateDispatchData[];
}
interface Session {
  shardId: number; sessionId: string; seq: number; intents: number; socket: WebSocket | null;
  resumable: boolean; sent: GatewayDispatchPayload[];
}
export type Dispatch<T extends GatewayDispatchEvents> = Extract<GatewayDispatchPayload, { t: T }>;

/** The gateway: HELLO, IDENTIFY (token and shard checks), READY + GUILD_CREATEs, heartbeats, RESUME with replay. */
export class Gateway {
  readonly identifies: { shard: [number, number]; intents: number }[] = [];
  readonly closes = new Log<{ code: number; shardId: number | undefined }>();
  readonly readies = new Log<{ shardId: number; sessionId: string }>();
  readonly resumes = new Log<{ shardId: number; sessionId: string }>();
  readonly sessions = new Map<number, Session>();
  readonly #server: WebSocketServer;

  constructor(server: Server, private readonly host: GatewayHost) {
    this.#server = new WebSocketServer({ server }); // any path: clients may append a slash
    this.#server.on("connection", (socket, request) => this.#connect(socket, request));
  }

  /** Sends (or buffers, while disconnected) a dispatch with the session's next seq; false if the shard has no session. */
  dispatch<T extends GatewayDispatchEvents>(shardId: number, t: T, d: Dispatch<T>["d"], intent = 0): boolean {
    const session = this.sessions.get(shardId);
    if (!session || (intent !== 0 && (session.intents & intent) === 0)) return false;
    const payload = { op: GatewayOpcodes.Dispatch, t, d, s: ++session.seq } as GatewayDispatchPayload;
    session.sent.push(payload);
    session.socket?.send(JSON.stringify(payload));
    return true;
  }

  intentsOf(shardId: number): number {
    return this.sessions.get(shardId)?.intents ?? 0;
  }

  /** Closes the shard's socket with 4000 (resumable); the client reconnects and RESUMEs. */
  async drop(shardId: number): Promise<void> {
    const socket = this.sessions.get(shardId)?.socket;
    if (!socket) throw new Error(`shard ${shardId} is not connected`);
    await new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      socket.close(GatewayCloseCodes.UnknownError, "fake: connection dropped");
    });
  }

  async close(): Promise<void> {
    for (const socket of this.#server.clients) socket.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #connect(socket: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? "/", "http://fake").searchParams;
    if (query.get("v") !== "10" || (query.get("encoding") ?? "json") !== "json") {
      socket.close(GatewayCloseCodes.InvalidAPIVersion, "fake: only v=10&encoding=json");
      return;
    }
    let session: Session | undefined;
    const send = (payload: GatewayReceivePayload): void => socket.send(JSON.stringify(payload));
    const reject = (code: GatewayCloseCodes, shardId?: number): void => {
      this.closes.push({ code, shardId });
      socket.close(code, `fake: ${GatewayCloseCodes[code]}`);
    };
    socket.on("error", () => socket.terminate());
    socket.on("message", (raw: Buffer) => {
      let packet: GatewaySendPayload;
      try {
        packet = JSON.parse(raw.toString()) as GatewaySendPayload;
      } catch {
        return reject(GatewayCloseCodes.DecodeError);
      }
      if (packet.op === GatewayOpcodes.Heartbeat) send({ op: GatewayOpcodes.HeartbeatAck, d: undefined, s: null, t: null });
      else if (packet.op === GatewayOpcodes.Identify) {
        const { token, intents, shard = [0, 1] } = packet.d;
        this.identifies.push({ shard, intents });
        if (token.replace(/^Bot /, "") !== this.host.token) return reject(GatewayCloseCodes.AuthenticationFailed);
        const [shardId, count] = shard;
        if (count !== this.host.shardCount || shardId < 0 || shardId >= count) return reject(GatewayCloseCodes.InvalidShard, shardId);
        session = { shardId, sessionId: randomBytes(16).toString("hex"), seq: 0, intents, socket, resumable: true, sent: [] };
        this.sessions.set(shardId, session);
        this.#ready(session, shard);
      } else if (packet.op === GatewayOpcodes.Resume) {
        const { token, session_id, seq } = packet.d;
        if (token.replace(/^Bot /, "") !== this.host.token) return reject(GatewayCloseCodes.AuthenticationFailed);
        session = [...this.sessions.values()].find((s) => s.sessionId === session_id && s.resumable);
        if (!session) return send({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
        session.socket = socket;
        for (const payload of session.sent) if (payload.s > seq) socket.send(JSON.stringify(payload));
        this.dispatch(session.shardId, GatewayDispatchEvents.Resumed, undefined);
        this.resumes.push({ shardId: session.shardId, sessionId: session.sessionId });
      }
    });
    socket.on("close", (code) => {
      if (!session || session.socket !== socket) return;
      session.socket = null;
      if (code === 1000 || code === 1001) session.resumable = false; // a clean client close ends the session
    });
    send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.host.heartbeatIntervalMs }, s: null, t: null });
  }

  #ready(session: Session, shard: [number, number]): void {
    const guilds = this.host.guildsOfShard(session.shardId);
    this.dispatch(session.shardId, GatewayDispatchEvents.Ready, {
      v: 10, user: this.host.botUser, guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.sessionId, resume_gateway_url: this.host.gatewayUrl(), shard,
      application: { id: this.host.applicationId, flags: ApplicationFlags.GatewayMessageContentLimited, flags_new: String(ApplicationFlags.GatewayMessageContentLimited) },
    });
    for (const guild of guilds) this.dispatch(session.shardId, GatewayDispatchEvents.GuildCreate, guild);
    this.readies.push({ shardId: session.shardId, sessionId: session.sessionId });
  }
}
