// A fake of Google's push channel on 127.0.0.1: the check-in endpoint (HTTPS, protobuf) and the MCS server
// (TLS, port of mtalk.google.com:5228), speaking the framing of push-receiver 0.0.4's mcs.proto and parser.js
// (and Chromium's google_apis/gcm/engine/connection_handler_impl.cc, which parser.js follows): the client
// opens with a version byte (41) then tag byte + varint length + LoginRequest; the server answers with its
// version byte, then tag + varint length + message for every frame after it.
// What it plays, as the real service does (sources in each comment):
// - check-in: AndroidCheckinRequest → AndroidCheckinResponse (gcm/checkin.proto); unknown credentials get a 4xx
//   (the exact status Google uses is not documented; the client treats any 4xx as a refusal);
// - login: LoginRequest (user = android id, auth_token = security token) → LoginResponse, or one with `error`;
// - data messages (DataMessageStanza, tag 8) with a persistent id; messages whose id the client did not list
//   in a later LoginRequest's received_persistent_id are delivered again (mcs.proto: received_persistent_id
//   acknowledges what the client got, so the server stops redelivering);
// - heartbeats: a client HeartbeatPing (tag 0) is answered with a HeartbeatAck (tag 1); ping() sends a server
//   HeartbeatPing and resolves with the client's HeartbeatAck (Chromium's MCS client answers every ping);
// - failure modes: closeStream() (a Close frame, tag 4), dropSilently() (the connection stays open but nothing more is read or written, as behind a
//   NAT that forgot the mapping) and hold() / release() (new connections get no LoginResponse until released).
import { EventEmitter, once } from "node:events";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { checkinRoot, MCS_TAG as TAG, MCS_VERSION, mcsFrame, mcsRoot } from "../../../src/rustplus/mcs-proto.ts";

const FIXTURES = new URL("../../fixtures/mcs-tls/", import.meta.url);
/** The test-only certificate the fake serves (test/fixtures/mcs-tls/README.md); clients trust it as `ca`. */
export const FAKE_MCS_CA = readFileSync(new URL("cert.pem", FIXTURES), "utf8");
const KEY = readFileSync(new URL("key.pem", FIXTURES), "utf8");

const TYPE_OF_TAG: Record<number, string> = { 0: "HeartbeatPing", 1: "HeartbeatAck", 2: "LoginRequest", 3: "LoginResponse", 4: "Close", 7: "IqStanza", 8: "DataMessageStanza" };

export interface PushPayload {
  persistentId: string;
  appData: { key: string; value: string }[];
}

interface Connection {
  socket: tls.TLSSocket;
  androidId: string | null;
  /** No more reads answered nor writes sent. */
  silent: boolean;
  /** Frames received (its last_stream_id_received). */
  streamIdIn: number;
  /** Frames sent after the version byte. */
  streamIdOut: number;
}

/** Events: `login` (androidId, count of accepted logins of that device), `held` (androidId: a login left unanswered), `client-ping` (androidId), `client-ack` (androidId, HeartbeatAck object). */
export class FakeMcs extends EventEmitter {
  readonly host = "127.0.0.1";
  readonly ca = FAKE_MCS_CA;
  readonly #devices = new Map<string, string>();
  readonly #logins = new Map<string, number>();
  /** Delivered, not yet acknowledged through a later login's received_persistent_id. */
  readonly #unconfirmed = new Map<string, Map<string, PushPayload>>();
  readonly #connections = new Set<Connection>();
  #held: Connection[] = [];
  #holding = false;
  /** Client pings seen (all devices). */
  clientPings = 0;

  private constructor(
    private readonly mcs: tls.Server,
    private readonly checkin: https.Server,
  ) {
    super();
  }

  static async start(): Promise<FakeMcs> {
    const mcs = tls.createServer({ cert: FAKE_MCS_CA, key: KEY });
    const checkin = https.createServer({ cert: FAKE_MCS_CA, key: KEY });
    const fake = new FakeMcs(mcs, checkin);
    mcs.on("secureConnection", (socket) => fake.#accept(socket));
    checkin.on("request", (req, res) => fake.#checkIn(req, res));
    mcs.listen(0, "127.0.0.1");
    checkin.listen(0, "127.0.0.1");
    await Promise.all([once(mcs, "listening"), once(checkin, "listening")]);
    return fake;
  }

  get port(): number {
    return (this.mcs.address() as AddressInfo).port;
  }

  get checkinUrl(): string {
    return `https://127.0.0.1:${(this.checkin.address() as AddressInfo).port}/checkin`;
  }

  /** Options for the client under test: this server, its certificate, its check-in. */
  clientOptions() {
    return { host: this.host, port: this.port, ca: this.ca, checkinUrl: this.checkinUrl };
  }

  readonly #refusedLogins = new Set<string>();

  /** A device the service knows (what fcm-register created); `refuseLogin`: its check-in passes, its logins get an error. */
  addDevice(androidId: string, securityToken: string, options: { refuseLogin?: boolean } = {}): void {
    this.#devices.set(androidId, securityToken);
    if (options.refuseLogin) this.#refusedLogins.add(androidId);
  }

  /** Accepted logins of a device so far. */
  logins(androidId: string): number {
    return this.#logins.get(androidId) ?? 0;
  }

  /** The device's open connections whose login was accepted (one while a single listener runs). */
  connectionsOf(androidId: string): number {
    return [...this.#connections].filter((c) => c.androidId === androidId && !c.socket.destroyed && !this.#held.includes(c)).length;
  }

  /** Resolves once the device has logged in `count` times in all. */
  async waitForLogin(androidId: string, count: number): Promise<void> {
    while (this.logins(androidId) < count) await once(this, "login");
  }

  /** Sends a data message to the device (now if connected, else at its next login) until it is acknowledged. */
  deliver(androidId: string, payload: PushPayload): void {
    const pending = this.#unconfirmed.get(androidId) ?? new Map<string, PushPayload>();
    this.#unconfirmed.set(androidId, pending);
    pending.set(payload.persistentId, payload);
    const live = this.#live(androidId);
    if (live) this.#sendData(live, payload);
  }

  /** Sends a server HeartbeatPing on the device's live connection; resolves with the client's HeartbeatAck. */
  async ping(androidId: string): Promise<{ lastStreamIdReceived?: number; sentBefore: number }> {
    const live = this.#live(androidId);
    if (!live) throw new Error(`no live MCS connection for ${androidId}`);
    const acked = once(this, "client-ack");
    this.#send(live, mcsFrame(TAG.heartbeatPing, "HeartbeatPing", { lastStreamIdReceived: live.streamIdIn }));
    const sentBefore = live.streamIdOut;
    const [, ack] = (await acked) as [string, { lastStreamIdReceived?: number }];
    return { ...ack, sentBefore };
  }

  /** The device's live connection stops answering and sending, without being closed. */
  dropSilently(androidId: string): void {
    const live = this.#live(androidId);
    if (!live) throw new Error(`no live MCS connection for ${androidId}`);
    live.silent = true;
  }

  /** Ends the device's stream with a Close frame (tag 4), leaving the socket to the client. */
  closeStream(androidId: string): void {
    const live = this.#live(androidId);
    if (!live) throw new Error(`no live MCS connection for ${androidId}`);
    this.#send(live, mcsFrame(TAG.close, "Close", {}));
  }

  /** Writes `bytes` as they are on the device's live connection: fault injection (a frame the client cannot parse,
   *  as a corrupting middlebox would deliver), not something Google's protocol sends. */
  sendRaw(androidId: string, bytes: Buffer): void {
    const live = this.#live(androidId);
    if (!live) throw new Error(`no live MCS connection for ${androidId}`);
    live.socket.write(bytes);
  }

  /** From now on, logins wait unanswered until release(). */
  hold(): void {
    this.#holding = true;
  }

  release(): void {
    this.#holding = false;
    const held = this.#held;
    this.#held = [];
    for (const conn of held) if (!conn.socket.destroyed) this.#loginAccepted(conn);
  }

  async close(): Promise<void> {
    for (const c of this.#connections) c.socket.destroy();
    this.checkin.closeAllConnections();
    await Promise.all([new Promise((r) => this.mcs.close(r)), new Promise((r) => this.checkin.close(r))]);
  }

  #live(androidId: string): Connection | undefined {
    return [...this.#connections].reverse().find((c) => c.androidId === androidId && !c.silent && !c.socket.destroyed && !this.#held.includes(c));
  }

  #checkIn(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const Request = checkinRoot.lookupType("checkin_proto.AndroidCheckinRequest");
      const Response = checkinRoot.lookupType("checkin_proto.AndroidCheckinResponse");
      let request: Record<string, unknown>;
      try {
        request = Request.toObject(Request.decode(Buffer.concat(chunks)), { longs: String });
      } catch {
        res.writeHead(400).end();
        return;
      }
      const androidId = String(request["id"] ?? "");
      if (req.method !== "POST" || req.url !== "/checkin" || this.#devices.get(androidId) !== String(request["securityToken"] ?? "")) {
        res.writeHead(403).end();
        return;
      }
      const body = Response.encode(Response.fromObject({ statsOk: true, timeMsec: Date.now(), androidId, securityToken: request["securityToken"] })).finish();
      res.writeHead(200, { "Content-Type": "application/x-protobuf" }).end(Buffer.from(body));
    });
  }

  #accept(socket: tls.TLSSocket): void {
    const conn: Connection = { socket, androidId: null, silent: false, streamIdIn: 0, streamIdOut: 0 };
    this.#connections.add(conn);
    socket.on("close", () => this.#connections.delete(conn));
    socket.on("error", () => socket.destroy());
    let buffer = Buffer.alloc(0);
    let versionRead = false;
    socket.on("data", (chunk: Buffer) => {
      if (conn.silent) return;
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const start = versionRead ? 0 : 1;
        if (buffer.length < start + 2) return;
        if (!versionRead && buffer[0] !== MCS_VERSION) {
          socket.destroy();
          return;
        }
        const tag = buffer[start]!;
        const size = readVarint(buffer, start + 1);
        if (!size || buffer.length < size.end + size.value) return;
        const body = buffer.subarray(size.end, size.end + size.value);
        buffer = buffer.subarray(size.end + size.value);
        versionRead = true;
        this.#onFrame(conn, tag, body);
        if (conn.silent || socket.destroyed) return;
      }
    });
  }

  #onFrame(conn: Connection, tag: number, body: Buffer): void {
    conn.streamIdIn++;
    const type = TYPE_OF_TAG[tag];
    if (!type) {
      conn.socket.destroy();
      return;
    }
    const Type = mcsRoot.lookupType(`mcs_proto.${type}`);
    const object = Type.toObject(Type.decode(body), { longs: String });
    if (tag === TAG.loginRequest) return this.#login(conn, object);
    if (!conn.androidId) return;
    if (tag === TAG.heartbeatPing) {
      this.clientPings++;
      this.emit("client-ping", conn.androidId);
      this.#send(conn, mcsFrame(TAG.heartbeatAck, "HeartbeatAck", { lastStreamIdReceived: conn.streamIdIn }));
    } else if (tag === TAG.heartbeatAck) {
      this.emit("client-ack", conn.androidId, object);
    }
  }

  #login(conn: Connection, request: Record<string, unknown>): void {
    const androidId = String(request["user"] ?? "");
    conn.socket.write(Buffer.from([MCS_VERSION]));
    if (this.#devices.get(androidId) === undefined || this.#devices.get(androidId) !== request["authToken"] || this.#refusedLogins.has(androidId)) {
      this.#send(conn, mcsFrame(TAG.loginResponse, "LoginResponse", { id: "fake-mcs", error: { code: 401, message: "bad credentials" } }));
      return;
    }
    conn.androidId = androidId;
    // Acknowledged ids are not delivered again.
    const pending = this.#unconfirmed.get(androidId);
    for (const id of (request["receivedPersistentId"] as string[] | undefined) ?? []) pending?.delete(id);
    if (this.#holding) {
      this.#held.push(conn);
      this.emit("held", androidId);
    } else this.#loginAccepted(conn);
  }

  #loginAccepted(conn: Connection): void {
    const androidId = conn.androidId!;
    // The device's older connections are over (Google keeps one per device).
    for (const other of this.#connections) if (other !== conn && other.androidId === androidId && !other.silent) other.socket.destroy();
    this.#send(conn, mcsFrame(TAG.loginResponse, "LoginResponse", { id: "fake-mcs", lastStreamIdReceived: conn.streamIdIn, serverTimestamp: Date.now() }));
    for (const payload of this.#unconfirmed.get(androidId)?.values() ?? []) this.#sendData(conn, payload);
    this.#logins.set(androidId, this.logins(androidId) + 1);
    this.emit("login", androidId, this.logins(androidId));
  }

  #sendData(conn: Connection, payload: PushPayload): void {
    // Shape of an FCM data message to a Rust+ device: `from` the sender's project number, `category` the app
    // (inferred from push-receiver's use: it reads only persistentId and appData, as the bot does).
    this.#send(
      conn,
      mcsFrame(TAG.dataMessage, "DataMessageStanza", {
        id: `fake-${payload.persistentId}`,
        from: "976529667804",
        category: "com.facepunch.rust.companion",
        to: conn.androidId,
        appData: payload.appData,
        persistentId: payload.persistentId,
        ttl: 2419200,
        sent: Date.now(),
      }),
    );
  }

  #send(conn: Connection, frame: Buffer): void {
    if (conn.silent || conn.socket.destroyed) return;
    conn.streamIdOut++;
    conn.socket.write(frame);
  }
}

/** A protobuf varint at `offset`: its value and where it ends, or null when incomplete. */
function readVarint(buffer: Buffer, offset: number): { value: number; end: number } | null {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const byte = buffer[offset + i];
    if (byte === undefined) return null;
    value |= (byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) return { value, end: offset + i + 1 };
  }
  throw new Error("varint too long");
}
