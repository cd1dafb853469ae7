// Every live paired server's connection in this process: opened on /server connect or a pairing, and for each
// user whose lease this process holds (the fleet's rounds), closed on disconnect, removal or a lost lease. Each
// socket holds its own lease with a slot on an egress address, and no event off a socket is handled unless both
// leases are still valid. A refused token is recorded (needsRepairSince) and told to the owner once per pairing,
// in the transaction that records it.
import type { SecretBox } from "../db/crypto.ts";
import { soloLeases, type SocketLeases } from "../fleet/socket-leases.ts";
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
  /** Which process owns which user and socket (the fleet's leases); this one owns all by default. */
  #leases: SocketLeases = soloLeases;
  /** The owner of each open connection's server. */
  readonly #owners = new Map<string, string>();
  /** Opens of one server run one after another (a round and /server connect may race). */
  readonly #opening = new Map<string, Promise<unknown>>();
  /** Servers whose socket was stopped because the work moved to another process: their cards are not redrawn. */
  readonly #handedOver = new Set<string>();

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

  /** Puts the sockets under the fleet's leases (see src/fleet/fleet.ts). */
  setLeases(leases: SocketLeases): void {
    this.#leases = leases;
  }

  /** Opens every live server that is not waiting to be paired again (no fleet: this process owns them all). */
  async restoreAll(): Promise<number> {
    const rows = await this.prisma.pairedServer.findMany({ where: { live: true, needsRepairSince: null } });
    let opened = 0;
    for (const row of rows) if ((await this.#openSerial(row)) === "opened") opened++;
    this.logger.info({ servers: opened }, "restored Rust+ connections");
    return opened;
  }

  /**
   * The sockets of the users whose lease this process holds, in step with the table: each live server not open
   * yet is opened (a server waiting for a slot is tried again), and open ones of other users or of servers no
   * longer live are closed. Returns how many were opened.
   */
  async syncUsers(userIds: ReadonlySet<string>): Promise<number> {
    const rows = userIds.size ? await this.prisma.pairedServer.findMany({ where: { userId: { in: [...userIds] }, live: true, needsRepairSince: null } }) : [];
    const wanted = new Set(rows.map((r) => r.id));
    for (const [serverId, userId] of [...this.#owners]) if (!userIds.has(userId) || !wanted.has(serverId)) this.#handOver(serverId);
    let opened = 0;
    for (const row of rows) {
      if (this.#connections.has(row.id)) continue;
      if ((await this.#openSerial(row)) === "opened") opened++;
    }
    return opened;
  }

  /** Stops a user's sockets at once without handling anything more (their lease was lost or given back). */
  dropUser(userId: string): void {
    for (const [serverId, owner] of [...this.#owners]) if (owner === userId) this.#handOver(serverId);
  }

  /** Stops one socket at once without handling anything more (its lease was lost). */
  dropServer(serverId: string): void {
    if (this.#connections.has(serverId)) this.#handOver(serverId);
  }

  /** The owner of an open connection's server. */
  ownerOf(serverId: string): string | undefined {
    return this.#owners.get(serverId);
  }

  /** Whether the server's socket was last stopped because its work moved to another process. */
  handedOver(serverId: string): boolean {
    return this.#handedOver.has(serverId);
  }

  /**
   * (Re)opens one server's connection from its stored row, e.g. after /server connect or a new pairing, taking
   * the owner's lease at once when it is free. "held-elsewhere": another live process holds the owner's work (it
   * connects the server); "address-full": no address of this process has a free slot to that Rust server.
   */
  async connect(serverId: string): Promise<"opened" | "unchanged" | "needs-repair" | "not-live" | "address-full" | "held-elsewhere"> {
    const row = await this.prisma.pairedServer.findUnique({ where: { id: serverId } });
    if (!row?.live) {
      this.disconnect(serverId);
      return "not-live";
    }
    if (row.needsRepairSince) return "needs-repair";
    const owner = await this.#leases.claimUser(row.userId);
    if (owner !== true) return owner.kind === "held-elsewhere" ? "held-elsewhere" : "address-full";
    return this.#openSerial(row);
  }

  disconnect(serverId: string): void {
    this.#close(serverId);
    this.#handedOver.delete(serverId);
  }

  #close(serverId: string): void {
    const connection = this.#connections.get(serverId);
    this.#connections.delete(serverId);
    this.#snapshots.delete(serverId);
    this.#owners.delete(serverId);
    connection?.stop();
    if (connection) this.#leases.releaseSocket(serverId);
  }

  /** Stops the socket as its work moves to another process: listeners hear "stopped", cards are left alone. */
  #handOver(serverId: string): void {
    this.#handedOver.add(serverId);
    this.#close(serverId);
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

  /** Stops every socket; `handOver` at shutdown, when other processes take the work over. */
  stopAll(options: { handOver?: boolean } = {}): void {
    for (const id of [...this.#connections.keys()]) {
      if (options.handOver) this.#handOver(id);
      else this.disconnect(id);
    }
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

  #openSerial(row: PairedServer): Promise<"opened" | "unchanged" | "address-full" | "held-elsewhere"> {
    const run = (this.#opening.get(row.id) ?? Promise.resolve()).then(() => this.#open(row));
    const settled = run.catch(() => undefined);
    this.#opening.set(row.id, settled);
    void settled.then(() => {
      if (this.#opening.get(row.id) === settled) this.#opening.delete(row.id);
    });
    return run;
  }

  async #open(row: PairedServer): Promise<"opened" | "unchanged" | "address-full" | "held-elsewhere"> {
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
    const serverId = row.id;
    const slot = await this.#leases.claimSocket(serverId, row.userId, row.ip, row.port);
    if ("kind" in slot) {
      if (slot.kind === "no-slot") this.#leases.noSlot(serverId, slot);
      return slot.kind === "no-slot" ? "address-full" : "held-elsewhere";
    }
    const userId = row.userId;
    /** An event off the socket is handled only while both leases are valid; otherwise the socket stops unheard. */
    const mine = () => {
      if (this.#connections.get(serverId) !== connection) return false;
      if (this.#leases.valid(userId, serverId)) return true;
      this.logger.warn({ serverId, userId }, "lost lease");
      this.#handOver(serverId);
      return false;
    };
    const connection: RustConnection = new RustConnection(
      { serverId, ip: row.ip, port: row.port, playerId: row.playerSteamId, playerToken: token, localAddress: slot.address.bind },
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
          onState: (state) => {
            // "stopped" is the socket's last word (also when stopped for a lost lease): listeners clean up on it.
            if (state.kind === "stopped" || mine()) this.#emit(this.#onState, serverId, state);
            if (state.kind === "connected") this.#leases.gotSlot(serverId);
          },
          onSnapshot: (snapshot) => {
            if (!mine()) return;
            this.#snapshots.set(serverId, snapshot);
            this.#emit(this.#onSnapshot, serverId, snapshot);
          },
          onBroadcast: (broadcast) => {
            if (mine()) this.#emit(this.#onBroadcast, serverId, broadcast);
          },
          onRejected: () => {
            if (mine()) void this.#work.track(this.#markNeedsRepair(serverId));
          },
          // Nothing is sent on the socket (nor a new one opened) once a lease lapsed: the new owner may be talking.
          mayAct: mine,
        },
      },
    );
    connection.onReady(async () => {
      for (const hook of this.#onReady) if (mine()) await hook(serverId, connection);
    });
    this.#connections.set(serverId, connection);
    this.#owners.set(serverId, userId);
    this.#handedOver.delete(serverId);
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

