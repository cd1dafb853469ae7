// Every live paired server's connection in this process: opened on /server connect or a pairing, restored at
// start, closed on disconnect or removal. A refused token is recorded (needsRepairSince) and told to the owner
// once per pairing, in the transaction that records it.
import type { SecretBox } from "../db/crypto.ts";
import type { PairedServer, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";
import { RustConnection, type AppBroadcast, type AppResponse, type BackoffRule, type ClientFactory, type ConnectionState } from "./connection.ts";
import { Gate } from "./gate.ts";
import { RateBudget, type BudgetOptions, type Priority } from "./rate-budget.ts";
import type { ServerSnapshot } from "./responses.ts";
import { RustPlusUnavailable } from "./rust-errors.ts";
import { realTimers, type Timers } from "./timers.ts";
import { WorkSet } from "../work-set.ts";

/** Rust allows this many sockets per client address and game server. */
export const CONNECTIONS_PER_ADDRESS = 5;

export interface ManagerOptions {
  timers?: Timers;
  createClient?: ClientFactory;
  budget?: BudgetOptions;
  backoff?: BackoffRule;
  infoEveryMs?: number;
  requestTimeoutMs?: number;
  random?: () => number;
  /** Sockets opening at once (restores after a restart are spread out by this). */
  openAtOnce?: number;
}

export interface ServerStatus {
  state: ConnectionState;
  snapshot: ServerSnapshot | null;
}

type Listener<A extends unknown[]> = (...args: A) => void;

export class ConnectionManager {
  readonly #connections = new Map<string, RustConnection>();
  readonly #snapshots = new Map<string, ServerSnapshot>();
  readonly #timers: Timers;
  readonly #gate: Gate;
  readonly budget: RateBudget;
  readonly #onState = new Set<Listener<[string, ConnectionState]>>();
  readonly #onSnapshot = new Set<Listener<[string, ServerSnapshot]>>();
  readonly #onBroadcast = new Set<Listener<[string, AppBroadcast]>>();
  readonly #onReady = new Set<(serverId: string, connection: RustConnection) => Promise<void>>();
  readonly #work = new WorkSet((err) => this.logger.error({ err }, "recording a connection event failed"));
  /** Which users' servers this process connects (one process per shard group); all by default. */
  #owns: (userId: string) => Promise<boolean> = () => Promise.resolve(true);

  constructor(
    private readonly prisma: PrismaClient,
    private readonly secrets: SecretBox,
    private readonly notifier: Notifier,
    private readonly logger: Logger,
    private readonly options: ManagerOptions = {},
  ) {
    this.#timers = options.timers ?? realTimers;
    this.budget = new RateBudget(this.#timers, options.budget);
    this.#gate = new Gate(options.openAtOnce ?? 50);
  }

  on(event: "state", listener: Listener<[string, ConnectionState]>): void;
  on(event: "snapshot", listener: Listener<[string, ServerSnapshot]>): void;
  on(event: "broadcast", listener: Listener<[string, AppBroadcast]>): void;
  on(event: "state" | "snapshot" | "broadcast", listener: Listener<never[]>): void {
    ({ state: this.#onState, snapshot: this.#onSnapshot, broadcast: this.#onBroadcast })[event].add(listener as never);
  }

  /** Runs after every (re)connect of any server: where later features renew their subscriptions. */
  onReady(hook: (serverId: string, connection: RustConnection) => Promise<void>): void {
    this.#onReady.add(hook);
  }

  setOwnership(owns: (userId: string) => Promise<boolean>): void {
    this.#owns = owns;
  }

  /** Opens every live server of ours that is not waiting to be paired again. */
  async restoreAll(): Promise<number> {
    const rows = await this.prisma.pairedServer.findMany({ where: { live: true, needsRepairSince: null } });
    let opened = 0;
    for (const row of rows) {
      if (!(await this.#owns(row.userId))) continue;
      if (this.#open(row) === "opened") opened++;
    }
    this.logger.info({ servers: opened }, "restored Rust+ connections");
    return opened;
  }

  /** (Re)opens one server's connection from its stored row, e.g. after /server connect or a new pairing. */
  async connect(serverId: string): Promise<"opened" | "unchanged" | "needs-repair" | "not-live" | "address-full"> {
    const row = await this.prisma.pairedServer.findUnique({ where: { id: serverId } });
    if (!row?.live) {
      this.disconnect(serverId);
      return "not-live";
    }
    if (row.needsRepairSince) return "needs-repair";
    return this.#open(row);
  }

  disconnect(serverId: string): void {
    this.#connections.get(serverId)?.stop();
    this.#connections.delete(serverId);
    this.#snapshots.delete(serverId);
  }

  /** Closes connections whose server was removed or taken offline elsewhere (another process, a limit). */
  async reconcile(): Promise<number> {
    const ids = [...this.#connections.keys()];
    if (!ids.length) return 0;
    const live = new Set((await this.prisma.pairedServer.findMany({ where: { id: { in: ids }, live: true }, select: { id: true } })).map((r) => r.id));
    const gone = ids.filter((id) => !live.has(id));
    for (const id of gone) this.disconnect(id);
    return gone.length;
  }

  stopAll(): void {
    for (const id of [...this.#connections.keys()]) this.disconnect(id);
  }

  get(serverId: string): RustConnection | undefined {
    return this.#connections.get(serverId);
  }

  status(serverId: string): ServerStatus | null {
    const connection = this.#connections.get(serverId);
    return connection ? { state: connection.state, snapshot: this.#snapshots.get(serverId) ?? null } : null;
  }

  /** Live connections by state kind (for logs and benchmarks). */
  counts(): Record<ConnectionState["kind"], number> {
    const counts = { connecting: 0, connected: 0, waiting: 0, rejected: 0, stopped: 0 };
    for (const c of this.#connections.values()) counts[c.state.kind]++;
    return counts;
  }

  /** A request to a connected server, within the rate budget. */
  async request(serverId: string, data: Record<string, unknown>, priority: Priority = "user"): Promise<AppResponse> {
    const connection = this.#connections.get(serverId);
    if (!connection) throw new RustPlusUnavailable("the bot is not connected to this server: use /server connect");
    return connection.request(data, priority);
  }

  /** Resolves when the database work started by connection events (marking a refused token) is done. */
  async settled(): Promise<void> {
    await this.#work.idle();
  }

  #open(row: PairedServer): "opened" | "unchanged" | "address-full" {
    let token: number;
    try {
      token = Number(this.secrets.open("PairedServer.playerToken", { ciphertext: row.playerToken, keyVersion: row.playerTokenKeyVersion }));
    } catch (err) {
      this.logger.error({ err, serverId: row.id }, "cannot read the stored player token");
      return "unchanged";
    }
    const existing = this.#connections.get(row.id);
    const t = existing?.target;
    if (existing && t && t.ip === row.ip && t.port === row.port && t.playerId === row.playerSteamId && t.playerToken === token && existing.state.kind !== "rejected") {
      return "unchanged";
    }
    this.disconnect(row.id);
    const sameAddress = [...this.#connections.values()].filter((c) => c.target.ip === row.ip && c.target.port === row.port).length;
    if (sameAddress >= CONNECTIONS_PER_ADDRESS) return "address-full";

    const serverId = row.id;
    const connection: RustConnection = new RustConnection(
      { serverId, ip: row.ip, port: row.port, playerId: row.playerSteamId, playerToken: token },
      {
        budget: this.budget,
        timers: this.#timers,
        logger: this.logger,
        gate: this.#gate,
        ...(this.options.createClient && { createClient: this.options.createClient }),
        ...(this.options.backoff && { backoff: this.options.backoff }),
        ...(this.options.infoEveryMs && { infoEveryMs: this.options.infoEveryMs }),
        ...(this.options.requestTimeoutMs && { requestTimeoutMs: this.options.requestTimeoutMs }),
        ...(this.options.random && { random: this.options.random }),
        hooks: {
          onState: (state) => this.#emit(this.#onState, serverId, state),
          onSnapshot: (snapshot) => {
            this.#snapshots.set(serverId, snapshot);
            this.#emit(this.#onSnapshot, serverId, snapshot);
          },
          onBroadcast: (broadcast) => this.#emit(this.#onBroadcast, serverId, broadcast),
          onRejected: () => this.#work.track(this.#markNeedsRepair(serverId)),
        },
      },
    );
    connection.onReady(async () => {
      for (const hook of this.#onReady) await hook(serverId, connection);
    });
    this.#connections.set(serverId, connection);
    connection.start();
    return "opened";
  }

  /** Records the refusal and tells the owner, once per pairing (a new pairing clears needsRepairSince). */
  async #markNeedsRepair(serverId: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.pairedServer.updateMany({ where: { id: serverId, needsRepairSince: null }, data: { needsRepairSince: new Date() } });
      if (count === 0) return;
      const row = await tx.pairedServer.findUniqueOrThrow({ where: { id: serverId } });
      await this.notifier.notify(
        {
          userId: row.userId,
          dedupeKey: `repair:${serverId}:${row.pairedAt.getTime()}`,
          event: {
            kind: "server-status",
            serverName: row.serverName || `${row.ip}:${row.port}`,
            text:
              `${row.serverName || "This server"} no longer accepts the bot's pairing: the server was wiped or the pairing was revoked. ` +
              "In game, open the menu → Rust+ → Pair with server; the bot reconnects by itself.",
            at: new Date().toISOString(),
          },
        },
        tx,
      );
    });
  }

  /** One failing listener must not keep the others from hearing the event. */
  #emit<A extends unknown[]>(listeners: Set<Listener<A>>, ...args: A): void {
    for (const listener of listeners) {
      try {
        listener(...args);
      } catch (err) {
        this.logger.error({ err }, "a connection listener failed");
      }
    }
  }
}

