// One live Rust+ socket for one paired server, through rustplus.js. It reconnects with exponential backoff
// and jitter (the library never reconnects), sends every request through the shared rate budget, turns the
// library's plain-object rejections into errors, and contains whatever a server sends: every frame is decoded with
// the shared lenient schema (fields left at their defaults are absent on real servers), and one that still does not
// decode arrives as a marked empty message, which is counted, logged and skipped.
import RustPlus from "@liamcottle/rustplus.js";
import type { Logger } from "../logger.ts";
import { countRustRateLimit, countRustRequest } from "../metrics/rustplus.ts";
import { BoundRustPlus } from "./bound-client.ts";
import { requestCost, type Priority, type RateBudget } from "./rate-budget.ts";
import { serverInfo, serverTime, type ServerSnapshot } from "./responses.ts";
import { RustPlusError, RustPlusUnavailable, SERVER_WIDE_REQUESTS } from "./rust-errors.ts";
import { shareRustPlusProto, undecodableFrame } from "./shared-proto.ts";
import type { Timers } from "./timers.ts";

type Client = RustPlus.RustPlusClient;
export type AppResponse = RustPlus.AppResponse;
export type AppBroadcast = RustPlus.AppBroadcast;
/** `localAddress`: the local IP the socket leaves from (an egress address); null or absent: the default route. */
export type ClientFactory = (ip: string, port: number, playerId: string, playerToken: number, localAddress?: string | null) => Client;

export const rustPlusClient: ClientFactory = (ip, port, playerId, playerToken, localAddress) =>
  localAddress ? new BoundRustPlus(ip, port, playerId, playerToken, localAddress) : new RustPlus(ip, port, playerId, playerToken);

export interface Target {
  serverId: string;
  ip: string;
  port: number;
  playerId: string;
  playerToken: number;
  /** The egress address to bind the socket to (the server lease's `bind`); null or absent: the default route. */
  localAddress?: string | null;
}

export type ConnectionState =
  | { kind: "connecting"; attempt: number }
  | { kind: "connected"; since: number }
  | { kind: "waiting"; attempt: number; retryAt: number; reason: string }
  /** The server refused the player token (a wipe or a revoked pairing): nothing to retry until re-paired. */
  | { kind: "rejected" }
  | { kind: "stopped" };

export interface ConnectionHooks {
  onState(state: ConnectionState): void;
  onSnapshot(snapshot: ServerSnapshot): void;
  onBroadcast(broadcast: AppBroadcast): void;
  onRejected(): void;
  /** Asked right before a socket opens and before each request is sent: false stops the connection unheard
   *  (its work moved to another process, e.g. its lease lapsed while this process was paused). Absent: true. */
  mayAct?(): boolean;
}

export interface ConnectionOptions {
  budget: RateBudget;
  timers: Timers;
  logger: Logger;
  hooks: ConnectionHooks;
  createClient?: ClientFactory;
  backoff?: BackoffRule;
  /** How often server info and time are refreshed. */
  infoEveryMs?: number;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  random?: () => number;
  /** Limits how many sockets open at once across the process (a restart must not open 2,000 at once). */
  gate?: Gate;
}

export interface BackoffRule {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffRule = { baseMs: 1_000, maxMs: 5 * 60_000 };
const STABLE_MS = 60_000;

/** Exponential, capped, with jitter in [½, 1] of the step so a fleet that dropped together spreads out. */
export function backoffDelay(attempt: number, rule: BackoffRule, random: () => number): number {
  const step = Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(step * (0.5 + random() / 2));
}

export interface Gate {
  enter(): Promise<void>;
  leave(): void;
}

interface Pending {
  reject(error: Error): void;
}

/** The request's operation field (`getInfo`, `setEntityValue`, …). */
const operationOf = (data: Record<string, unknown>) => Object.keys(data).find((key) => key !== "entityId") ?? "";

export class RustConnection {
  #state: ConnectionState = { kind: "stopped" };
  #client: Client | undefined;
  #attempt = 0;
  #retryTimer: unknown;
  #connectTimer: unknown;
  #infoTimer: unknown;
  #inGate = false;
  /** The socket is open (connected, or proving its token right after opening). */
  #open_ = false;
  readonly #pending = new Set<Pending>();
  readonly #readyHooks: Array<() => Promise<void>> = [];
  readonly #ipKey: string;
  readonly #playerKey: string;
  readonly #log: Logger;
  /** Frames that could not be decoded (a figure for tests and logs). */
  protocolErrors = 0;

  constructor(
    readonly target: Target,
    private readonly options: ConnectionOptions,
  ) {
    this.#ipKey = `${target.ip}:${target.port}`;
    this.#playerKey = `${this.#ipKey}:${target.playerId}`;
    this.#log = options.logger.child({ serverId: target.serverId });
    // Whatever factory makes the client, rustplus.js loads its schema through protobufjs.load: the lenient one.
    shareRustPlusProto();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Runs after every successful (re)connect: where subscriptions are renewed. */
  onReady(hook: () => Promise<void>): void {
    this.#readyHooks.push(hook);
  }

  start(): void {
    if (this.#state.kind !== "stopped") return;
    this.#attempt = 0;
    void this.#open();
  }

  stop(): void {
    this.#setState({ kind: "stopped" });
    this.#teardown(new RustPlusUnavailable("the connection was closed"));
  }

  /**
   * Sends one request when the budget allows, and resolves with the response. Rejects with RustPlusError
   * for an AppError and RustPlusUnavailable when there is no open socket or no answer in time.
   */
  async request(data: Record<string, unknown>, priority: Priority = "user"): Promise<AppResponse> {
    if (!this.#open_) throw new RustPlusUnavailable("not connected to the server");
    await this.options.budget.acquire(this.#ipKey, this.#playerKey, requestCost(data), priority);
    const client = this.#client;
    if (!client || !this.#open_) throw new RustPlusUnavailable("not connected to the server");
    // The budget may have made it wait (or the process may have been paused) past the end of its lease.
    if (!this.#mayAct()) throw new RustPlusUnavailable("the connection was handed over");
    const response = await new Promise<AppResponse>((resolve, reject) => {
      const timer = this.options.timers.setTimeout(() => finish(new RustPlusUnavailable("the server did not answer in time")), this.options.requestTimeoutMs ?? 10_000);
      const pending: Pending = { reject: (error) => finish(error) };
      const finish = (error: Error | null, value?: AppResponse) => {
        if (!this.#pending.delete(pending)) return;
        this.options.timers.clearTimeout(timer);
        if (error) reject(error);
        else resolve(value!);
      };
      this.#pending.add(pending);
      try {
        countRustRequest(this.#ipKey);
        client.sendRequest(data, (message) => {
          const r = message.response;
          if (!r) finish(new RustPlusUnavailable("the server sent an empty answer"));
          else if (r.error) {
            const error = new RustPlusError(String(r.error.error));
            this.#onServerError(error, operationOf(data));
            finish(error);
          }
          else finish(null, r);
          // Handled here: keep it out of the client's `message` event.
          return true;
        });
      } catch (err) {
        finish(new RustPlusUnavailable(`sending failed: ${(err as Error).message}`));
      }
    });
    return response;
  }

  /** Reads server info and time; also how a fresh connection proves its token works. */
  async snapshot(priority: Priority): Promise<ServerSnapshot> {
    const infoResponse = await this.request({ getInfo: {} }, priority);
    const info = serverInfo.safeParse(infoResponse.info);
    if (!info.success) throw new RustPlusUnavailable(`the server sent unreadable info: ${info.error.issues[0]?.message}`);
    let time = null;
    try {
      const parsed = serverTime.safeParse((await this.request({ getTime: {} }, priority)).time);
      if (parsed.success) time = parsed.data;
    } catch (err) {
      if (err instanceof RustPlusError && err.code === "not_found") throw err;
    }
    return { info: info.data, time, at: this.options.timers.now() };
  }

  /** Errors that say something about the connection rather than one request: a refused token, rate limits. */
  #onServerError(error: RustPlusError, operation: string): void {
    if (error.code === "rate_limit") {
      countRustRateLimit(this.#ipKey);
      this.#log.warn({ operation }, "the server rate-limited us: another client shares these buckets; starting them from empty");
      this.options.budget.drain(this.#ipKey, this.#playerKey);
    }
    if (error.code === "not_found" && SERVER_WIDE_REQUESTS.has(operation) && this.#state.kind !== "rejected" && this.#state.kind !== "stopped") {
      this.#log.warn({ operation }, "the server refuses the player token: it needs pairing again");
      this.#setState({ kind: "rejected" });
      this.#teardown(new RustPlusError("not_found"));
      this.options.hooks.onRejected();
    }
  }

  async #open(): Promise<void> {
    this.#setState({ kind: "connecting", attempt: this.#attempt });
    if (this.options.gate) {
      await this.options.gate.enter();
      this.#inGate = true;
      if (this.#state.kind !== "connecting") return this.#leaveGate();
    }
    if (!this.#mayAct()) return this.#leaveGate();
    const { ip, port, playerId, playerToken, localAddress = null } = this.target;
    let client: Client;
    try {
      client = (this.options.createClient ?? rustPlusClient)(ip, port, playerId, playerToken, localAddress);
    } catch (err) {
      this.#leaveGate();
      return this.#dropped(`could not create the client: ${(err as Error).message}`);
    }
    this.#client = client;
    const current = () => this.#client === client;
    client.on("connected", () => {
      if (current()) void this.#onOpen(client);
    });
    client.on("message", (message: RustPlus.AppMessage) => {
      if (!current()) return;
      const bad = undecodableFrame(message);
      if (bad) this.#skipped(bad.error, bad.bytes);
      else if (message.broadcast) this.#deliver(message.broadcast);
    });
    // Required: without a listener an EventEmitter `error` would throw. Connection errors end in `disconnected`.
    client.on("error", (err: unknown) => this.#log.debug({ err }, "socket error"));
    client.on("disconnected", () => {
      if (current()) this.#dropped("the connection closed");
    });
    this.#connectTimer = this.options.timers.setTimeout(() => {
      if (current() && this.#state.kind === "connecting") this.#dropped("connecting timed out");
    }, this.options.connectTimeoutMs ?? 15_000);
    try {
      client.connect();
    } catch (err) {
      this.#dropped(`connect failed: ${(err as Error).message}`);
    }
  }

  async #onOpen(client: Client): Promise<void> {
    this.options.timers.clearTimeout(this.#connectTimer);
    this.#leaveGate();
    if (this.#state.kind !== "connecting") {
      client.disconnect();
      return;
    }
    this.#open_ = true;
    try {
      // The first answer proves the token; only then does the socket count as connected.
      const snapshot = await this.snapshot("user");
      if (this.#client !== client || this.#state.kind !== "connecting") return;
      this.#setState({ kind: "connected", since: this.options.timers.now() });
      this.options.hooks.onSnapshot(snapshot);
      this.#scheduleInfo();
      for (const hook of this.#readyHooks) await hook().catch((err: unknown) => this.#log.warn({ err }, "a reconnect hook failed"));
    } catch (err) {
      if (this.#client === client && this.#state.kind === "connecting") this.#dropped(`the first request failed: ${(err as Error).message}`);
    }
  }

  #scheduleInfo(): void {
    this.options.timers.clearTimeout(this.#infoTimer);
    this.#infoTimer = this.options.timers.setTimeout(() => {
      if (this.#state.kind !== "connected") return;
      this.snapshot("background")
        .then((s) => this.options.hooks.onSnapshot(s))
        .catch((err: unknown) => this.#log.debug({ err }, "refreshing server info failed"))
        .finally(() => {
          if (this.#state.kind === "connected") this.#scheduleInfo();
        });
    }, this.options.infoEveryMs ?? 60_000);
  }

  #deliver(broadcast: AppBroadcast): void {
    try {
      this.options.hooks.onBroadcast(broadcast);
    } catch (err) {
      this.#log.error({ err }, "handling a broadcast failed");
    }
  }

  /** A frame that did not decode (a response among them is then answered by its request's timeout). */
  #skipped(error: Error, bytes: number): void {
    this.protocolErrors++;
    this.#log.warn({ err: error.message, bytes }, "skipped a frame the server sent that does not decode");
  }

  #dropped(reason: string): void {
    this.#teardown(new RustPlusUnavailable(reason));
    if (this.#state.kind === "stopped" || this.#state.kind === "rejected") return;
    // Only a connection that held for a while starts the schedule over: one that drops right after
    // connecting (a flapping server, a full server) keeps backing off.
    if (this.#state.kind === "connected" && this.options.timers.now() - this.#state.since >= STABLE_MS) this.#attempt = 0;
    const delay = backoffDelay(this.#attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random ?? Math.random);
    this.#attempt++;
    this.#log.info({ reason, retryInMs: delay, attempt: this.#attempt }, "Rust+ connection lost; reconnecting later");
    this.#setState({ kind: "waiting", attempt: this.#attempt, retryAt: this.options.timers.now() + delay, reason });
    this.#retryTimer = this.options.timers.setTimeout(() => {
      if (this.#state.kind === "waiting") void this.#open();
    }, delay);
  }

  #teardown(reason: Error): void {
    const { timers } = this.options;
    timers.clearTimeout(this.#retryTimer);
    timers.clearTimeout(this.#connectTimer);
    timers.clearTimeout(this.#infoTimer);
    this.#leaveGate();
    const client = this.#client;
    this.#client = undefined;
    this.#open_ = false;
    if (client) {
      try {
        client.disconnect();
      } catch (err) {
        this.#log.debug({ err }, "closing the socket failed");
      }
    }
    for (const p of [...this.#pending]) p.reject(reason);
  }

  /** Whether the owner still lets this connection act; when not, it is stopped (by the hook or here). */
  #mayAct(): boolean {
    if (this.options.hooks.mayAct?.() ?? true) return true;
    if (this.#state.kind !== "stopped") this.stop();
    return false;
  }

  #leaveGate(): void {
    if (!this.#inGate) return;
    this.#inGate = false;
    this.options.gate?.leave();
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    try {
      this.options.hooks.onState(state);
    } catch (err) {
      this.#log.error({ err }, "a state hook failed");
    }
  }
}
