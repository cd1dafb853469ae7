// A fake Rust server's Steam query port: UDP on 127.0.0.1 speaking A2S as the Valve Developer wiki's
// "Server queries" page describes it (developer.valvesoftware.com/wiki/Server_queries):
// - every packet starts with the simple header FF FF FF FF (answers here are never split: Rust itself sends
//   single packets up to 64 KB, as the wiki notes since 2023-07);
// - A2S_INFO (0x54 "Source Engine Query\0") is answered with S2C_CHALLENGE (0x41 + 4-byte challenge) unless it
//   carries the challenge at its end (the round-trip Valve added in December 2020), then with 0x49: protocol,
//   name, map, folder, game, app id, players, max, bots, type, environment, visibility, VAC, version, and the
//   EDF: 0x80 game port, 0x10 SteamID, 0x20 keywords, 0x01 game id;
// - A2S_PLAYER (0x55 + challenge) is answered with 0x41 for the challenge -1 or a wrong one, then with 0x44:
//   count, and per player index, name, score (long), duration (float seconds).
// Rust's keywords as a real server sends them (gamedig/node-gamedig#209): mp<max>,cp<current>,pt…,qp<queue>,
// v<protocol>,born<unix wipe>,gmrust. Players still connecting are listed with an empty name.
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { randomInt } from "node:crypto";

export interface FakeA2sOptions {
  /** UDP port on 127.0.0.1; 0 (default) for any free one. */
  port?: number;
  name?: string;
  maxPlayers?: number;
  /** Game port in the EDF (default: the query port - 1). */
  gamePort?: number;
  /** The last wipe, unix seconds. */
  born?: number;
  queued?: number;
  /** The clock (ms) players' durations are counted on (default Date.now). */
  now?: () => number;
}

interface FakePlayer { name: string; since: number }

export type Misbehaviour = "none" | "silent" | "malformed-info" | "silent-players";

export class FakeA2sServer {
  name: string;
  maxPlayers: number;
  gamePort: number | undefined;
  born: number | undefined;
  queued: number;
  /** Entries A2S_PLAYER lists at most (a capped list); undefined for all. */
  listCap: number | undefined;
  /** Players still connecting: counted nowhere but listed with empty names. */
  connecting = 0;
  misbehaviour: Misbehaviour = "none";
  /** Requests by kind: "info" and "players" answered in full, "challenge" challenges sent. */
  readonly counts = { info: 0, players: 0, challenge: 0, dropped: 0 };
  readonly #socket: Socket;
  readonly #now: () => number;
  readonly #players: FakePlayer[] = [];
  readonly #challenges = new Map<string, number>();

  private constructor(socket: Socket, options: FakeA2sOptions) {
    this.#socket = socket;
    this.#now = options.now ?? Date.now;
    this.name = options.name ?? "Fake Rust Server";
    this.maxPlayers = options.maxPlayers ?? 200;
    this.gamePort = options.gamePort;
    this.born = options.born;
    this.queued = options.queued ?? 0;
    socket.on("message", (msg, rinfo) => this.#onMessage(msg, rinfo));
  }

  static async start(options: FakeA2sOptions = {}): Promise<FakeA2sServer> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(options.port ?? 0, "127.0.0.1", () => {
        socket.off("error", reject);
        resolve();
      });
    });
    return new FakeA2sServer(socket, options);
  }

  get port(): number { return this.#socket.address().port; }
  /** Full queries answered (A2S_INFO with a valid challenge). */
  get queries(): number { return this.counts.info; }
  get players(): readonly string[] { return this.#players.map((p) => p.name); }

  /** A player joins now (or `secondsAgo` earlier). Names may repeat, as on real servers. */
  join(name: string, secondsAgo = 0): void { this.#players.push({ name, since: this.#now() - secondsAgo * 1000 }); }
  /** The first player of that name leaves; false when none. */
  leave(name: string): boolean {
    const i = this.#players.findIndex((p) => p.name === name);
    if (i < 0) return false;
    this.#players.splice(i, 1);
    return true;
  }
  clear(): void { this.#players.length = 0; }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.misbehaviour === "silent" || msg.length < 5 || msg.readInt32LE(0) !== -1) {
      this.counts.dropped++;
      return;
    }
    const key = `${rinfo.address}:${rinfo.port}`;
    const kind = msg[4];
    if (kind === 0x54) {
      const payload = "Source Engine Query\0";
      if (msg.toString("latin1", 5, 5 + payload.length) !== payload) return void this.counts.dropped++;
      const given = msg.length >= 5 + payload.length + 4 ? msg.readInt32LE(5 + payload.length) : undefined;
      if (given === undefined || given !== this.#challenges.get(key)) return this.#challenge(key, rinfo);
      this.counts.info++;
      return this.#send(this.misbehaviour === "malformed-info" ? this.#info().subarray(0, 12) : this.#info(), rinfo);
    }
    if (kind === 0x55 && msg.length >= 9) {
      if (msg.readInt32LE(5) !== this.#challenges.get(key)) return this.#challenge(key, rinfo);
      if (this.misbehaviour === "silent-players") return void this.counts.dropped++;
      this.counts.players++;
      return this.#send(this.#playerList(), rinfo);
    }
    this.counts.dropped++;
  }

  #challenge(key: string, rinfo: RemoteInfo): void {
    const challenge = this.#challenges.get(key) ?? randomInt(1, 0x7fffffff);
    this.#challenges.set(key, challenge);
    this.counts.challenge++;
    const b = Buffer.alloc(9);
    b.writeInt32LE(-1, 0);
    b[4] = 0x41;
    b.writeInt32LE(challenge, 5);
    this.#send(b, rinfo);
  }

  #info(): Buffer {
    const w = new Writer();
    w.long(-1).byte(0x49).byte(17).string(this.name).string("Procedural Map").string("rust").string("Rust").short(0);
    // Rust's header counts are not to be trusted (gamedig PR #663): the real ones are in cp/mp.
    w.byte(Math.min(255, this.#players.length)).byte(Math.min(255, this.maxPlayers)).byte(0).byte(0x64).byte(0x6c).byte(0).byte(1).string("2590");
    const keywords = [`mp${this.maxPlayers}`, `cp${this.#players.length}`, "ptrak", `qp${this.queued}`, "v2590", ...(this.born ? [`born${this.born}`] : []), "gmrust"];
    w.byte(0x80 | 0x10 | 0x20 | 0x01).short(this.gamePort ?? Math.max(1, this.port - 1)).longlong(90_000_000_000_000_001n).string(keywords.join(",")).longlong(252_490n);
    return w.done();
  }

  #playerList(): Buffer {
    const now = this.#now();
    const listed = [...this.#players.map((p) => ({ name: p.name, seconds: Math.max(0, (now - p.since) / 1000) })), ...Array.from({ length: this.connecting }, () => ({ name: "", seconds: 0 }))];
    const shown = this.listCap === undefined ? listed : listed.slice(0, this.listCap);
    const w = new Writer();
    w.long(-1).byte(0x44).byte(Math.min(255, shown.length));
    shown.slice(0, 255).forEach((p, i) => w.byte(i).string(p.name).long(0).float(p.seconds));
    return w.done();
  }

  #send(buffer: Buffer, rinfo: RemoteInfo): void {
    this.#socket.send(buffer, rinfo.port, rinfo.address);
  }
}

class Writer {
  readonly #parts: Buffer[] = [];
  byte(v: number): this { this.#parts.push(Buffer.from([v & 0xff])); return this; }
  short(v: number): this { const b = Buffer.alloc(2); b.writeUInt16LE(v); this.#parts.push(b); return this; }
  long(v: number): this { const b = Buffer.alloc(4); b.writeInt32LE(v); this.#parts.push(b); return this; }
  float(v: number): this { const b = Buffer.alloc(4); b.writeFloatLE(v); this.#parts.push(b); return this; }
  longlong(v: bigint): this { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); this.#parts.push(b); return this; }
  string(v: string): this { this.#parts.push(Buffer.from(`${v}\0`, "utf8")); return this; }
  done(): Buffer { return Buffer.concat(this.#parts); }
}
