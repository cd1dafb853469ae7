// Google's push channel (MCS over TLS) kept provably alive. @liamcottle/push-receiver 0.0.4's Client keeps
// its parser, login request, data-message path and mcs.proto here; this subclass adds what it lacks:
// - it answers Google's HeartbeatPing (tag 0) with a HeartbeatAck (tag 1), as Chromium's MCS client does
//   (google_apis/gcm/engine/mcs_client.cc, HandlePacketFromWire: a ping is answered with an ack carrying
//   last_stream_id_received, the count of frames received on this connection, the LoginResponse included);
// - it sends its own HeartbeatPing every `heartbeatMs` and reconnects when nothing (ack or any other frame)
//   arrives within `ackDeadlineMs`, and likewise when a LoginResponse does not come: a connection dropped by a
//   NAT or proxy without a FIN no longer stays "connected" while nothing arrives;
// - TCP keepalive after `keepAliveMs` idle (the library's setKeepAlive(true) keeps the OS default, 2 h on Linux);
// - the host, port, trusted CA and check-in endpoint are options (the library hard-codes mtalk.google.com:5228
//   and android.clients.google.com/checkin), and the server's certificate is verified: the library opens a
//   bare TLSSocket, which checks no certificate and sends no SNI.
import type { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { isIP } from "node:net";
import tls from "node:tls";
import { checkIn, CheckinRefusedError } from "./mcs-checkin.ts";
import { MCS_TAG as TAG, mcsFrame, RECEIVER } from "./mcs-proto.ts";

const require = createRequire(import.meta.url);

/**
 * Chromium's heartbeat defaults (google_apis/gcm/engine/heartbeat_manager.cc): 15 minutes on WiFi and ethernet
 * (28 on mobile networks) and an ack deadline of 1 minute. A bot has no battery to save and sits behind NATs and
 * proxies whose idle timeouts can be a few minutes, so it pings every 5 minutes: a dead channel is replaced within
 * 6 minutes (ping interval + ack deadline) instead of 16.
 */
export const HEARTBEAT_MS = 5 * 60_000;
/** Chromium's kHeartbeatAckDefaultMs. Also the time a LoginResponse may take. */
export const ACK_DEADLINE_MS = 60_000;
/** Idle time before the OS sends TCP keepalive probes (keeps NAT mappings open between heartbeats). */
export const KEEPALIVE_MS = 60_000;

export interface McsOptions {
  /** MCS endpoint; mtalk.google.com:5228 by default. */
  host?: string;
  port?: number;
  /** Certificates to trust instead of the system's (the fake MCS server's, in tests). */
  ca?: string | Buffer;
  /** The check-in endpoint (POST, protobuf); Google's by default. */
  checkinUrl?: string;
  heartbeatMs?: number;
  ackDeadlineMs?: number;
  keepAliveMs?: number;
}

/** What the channel is doing, for /credentials status. Times are wall-clock Dates. */
export interface ChannelState {
  /** When Google accepted the current connection's login; null while down. */
  connectedSince: Date | null;
  /** Since when the channel is down and why (the cause that ended the last session); null while connected. */
  down: { since: Date; reason: string } | null;
  /** The last frame of any kind from Google. */
  lastMessageAt: Date | null;
  /** The last HeartbeatAck (an answer to our own ping). */
  lastHeartbeatAckAt: Date | null;
  /** Sessions after the first one (each reconnect whose login was accepted). */
  reconnects: number;
}

interface MessageEvent {
  tag: number;
  object: { error?: { code?: number; message?: string } };
}

/** The library's Client as this subclass uses it (CommonJS, untyped). */
interface ReceiverClient extends EventEmitter {
  _androidId: string;
  _securityToken: string;
  _socket: tls.TLSSocket | null;
  _retryCount: number;
  connect(): Promise<void>;
  destroy(): void;
  _checkIn(): Promise<unknown>;
  _connect(): void;
  _destroy(): void;
  _retry(): void;
  _loginBuffer(): Buffer;
  _onSocketConnect(): void;
  _onSocketClose(): void;
  _onSocketError(error: Error): void;
  _onParserError(error: Error): void;
  _onMessage(message: MessageEvent): void;
}
const Client = require(`${RECEIVER}/client.js`) as new (androidId: string, securityToken: string, persistentIds: string[]) => ReceiverClient;

/**
 * One device's channel. Events: `ON_DATA_RECEIVED` (the library's: a DataMessageStanza as an object),
 * `state` (a ChannelState, whenever it goes up or down), `refused` (Error: Google refused the check-in or
 * login; it keeps retrying). connect() never rejects: every failure is retried (1 s, 2 s, … up to 15 s apart).
 */
export class McsClient extends Client {
  readonly #host: string;
  readonly #port: number;
  readonly #ca: string | Buffer | undefined;
  readonly #checkinUrl: string;
  readonly #heartbeatMs: number;
  readonly #ackDeadlineMs: number;
  readonly #keepAliveMs: number;
  #state: ChannelState = { connectedSince: null, down: null, lastMessageAt: null, lastHeartbeatAckAt: null, reconnects: 0 };
  #sessions = 0;
  /** Frames received on the current connection (MCS's last_stream_id_received). */
  #streamIdIn = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #socketError: string | undefined;
  #stopped = false;

  constructor(androidId: string, securityToken: string, persistentIds: string[], options: McsOptions = {}) {
    super(androidId, securityToken, persistentIds);
    this.#host = options.host ?? "mtalk.google.com";
    this.#port = options.port ?? 5228;
    this.#ca = options.ca;
    this.#checkinUrl = options.checkinUrl ?? "https://android.clients.google.com/checkin";
    this.#heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.#ackDeadlineMs = options.ackDeadlineMs ?? ACK_DEADLINE_MS;
    this.#keepAliveMs = options.keepAliveMs ?? KEEPALIVE_MS;
  }

  state(): ChannelState {
    return { ...this.#state, down: this.#state.down && { ...this.#state.down } };
  }

  override async connect(): Promise<void> {
    if (this.#stopped) return;
    try {
      await super.connect();
    } catch (error) {
      if (this.#stopped) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.#markDown(`check-in failed: ${reason.slice(0, 120)}`);
      if (error instanceof CheckinRefusedError) this.emit("refused", error);
      this._retry();
    }
  }

  override destroy(): void {
    this.#stopped = true;
    super.destroy();
  }

  /** The library's check-in request, to the configured endpoint. */
  override _checkIn(): Promise<unknown> {
    return checkIn(this.#checkinUrl, this._androidId, this._securityToken, { ca: this.#ca, timeoutMs: this.#ackDeadlineMs });
  }

  override _connect(): void {
    // destroy() may come while the check-in is under way: then no socket is opened (connect() sees none).
    if (this.#stopped) return;
    this.#streamIdIn = 0;
    this.#socketError = undefined;
    const socket = tls.connect({ host: this.#host, port: this.#port, ...(this.#ca && { ca: this.#ca }), ...(!isIP(this.#host) && { servername: this.#host }) });
    this._socket = socket;
    socket.setKeepAlive(true, this.#keepAliveMs);
    socket.on("connect", this._onSocketConnect);
    socket.on("close", this._onSocketClose);
    socket.on("error", this._onSocketError);
    socket.write(this._loginBuffer());
    this.#armDeadline("no login response");
  }

  override _destroy(): void {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#deadline);
    this.#heartbeat = undefined;
    this.#deadline = undefined;
    super._destroy();
  }

  /** The library resets its backoff when TCP connects; here only an accepted login does (#markUp). */
  override _onSocketConnect(): void {
    this.emit("connect");
  }

  override _onSocketError(error: Error): void {
    this.#socketError = error.message.slice(0, 120);
  }

  /** The library's parser gave up on a frame: it reconnects, but said nothing, so the channel still read "connected". */
  override _onParserError(error: Error): void {
    this.#reconnect(`unreadable frame: ${error.message.slice(0, 120)}`);
  }

  override _onSocketClose(): void {
    this.#markDown(this.#socketError ? `connection failed: ${this.#socketError}` : "connection closed");
    super._onSocketClose();
  }

  override _onMessage(message: MessageEvent): void {
    this.#streamIdIn++;
    this.#state.lastMessageAt = new Date();
    // Any frame proves the channel carries data: the pending deadline (ack or login) is met.
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
    switch (message.tag) {
      case TAG.heartbeatPing:
        this.#send(mcsFrame(TAG.heartbeatAck, "HeartbeatAck", { lastStreamIdReceived: this.#streamIdIn }));
        break;
      case TAG.heartbeatAck:
        this.#state.lastHeartbeatAckAt = new Date();
        break;
      case TAG.loginResponse:
        if (message.object.error) {
          const code = message.object.error.code ?? "unknown";
          this.emit("refused", new Error(`Google refused the login (error ${code})`));
          this.#reconnect(`login refused (error ${code})`);
          return;
        }
        this.#markUp();
        break;
      case TAG.close:
        // Google ends the stream: reconnect now rather than wait for the socket to close.
        this.#reconnect("Google closed the stream");
        return;
    }
    try {
      super._onMessage(message);
    } catch (error) {
      // The library throws on a message it cannot decrypt; one bad message must not end the stream.
      this.emit("bad-message", error);
    }
  }

  #send(frame: Buffer): void {
    this._socket?.write(frame);
  }

  #markUp(): void {
    if (this.#sessions++ > 0) this.#state.reconnects++;
    this._retryCount = 0;
    this.#state.connectedSince = new Date();
    this.#state.down = null;
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => this.#ping(), this.#heartbeatMs);
    this.#heartbeat.unref();
    this.emit("state", this.state());
  }

  /** Down, keeping the first cause of an outage (later failed attempts do not replace it). */
  #markDown(reason: string): void {
    if (this.#stopped) return;
    if (this.#state.down) return;
    this.#state.connectedSince = null;
    this.#state.down = { since: new Date(), reason };
    this.emit("state", this.state());
  }

  #ping(): void {
    this.#send(mcsFrame(TAG.heartbeatPing, "HeartbeatPing", { lastStreamIdReceived: this.#streamIdIn }));
    this.#armDeadline("no heartbeat ack");
  }

  #armDeadline(reason: string): void {
    if (this.#deadline) return;
    this.#deadline = setTimeout(() => this.#reconnect(reason), this.#ackDeadlineMs);
    this.#deadline.unref();
  }

  /** Drops the current connection (without waiting for a FIN that may never come) and connects again. */
  #reconnect(reason: string): void {
    if (this.#stopped) return;
    this.#markDown(reason);
    this._retry();
  }
}
