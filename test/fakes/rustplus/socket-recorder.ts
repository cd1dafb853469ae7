// Every Rust+ socket the fake servers accepted, for fleet tests: which pairing it served, when it opened and
// closed, and when its client sent something. Shared by several FakeRustServer instances (option `recorder`).
//
// The rule `overlaps()` enforces, per pairing (Rust server + Steam id):
//   a socket is *active* from the moment it opened until the last message its client sent on it (its open time
//   alone when it sent nothing); no two sockets of one pairing may be active at once: their spans
//   [openedAt, lastSentAt] must not intersect (touching ends do not count).
// Why activity and not openness: a process stopped with SIGSTOP keeps its TCP sockets open (the kernel holds them)
// while it runs nothing, so a new owner opening a socket next to it is the handover working, not a fault. What
// must never happen is two processes talking to the server for one pairing at once: the new owner connecting
// while the old one still sends, or the old one, resumed after its lease expired, sending again on its stale
// socket (it must close it without a word). Sockets whose player never became known (no valid request) are left
// out: they spoke for no pairing. A stale socket kept open for ever passes this rule; tests check that with
// `open()` (one open socket per pairing once the handover settles).
import { EventEmitter, once } from "node:events";

export interface SocketRecord {
  /** In order of opening, from 1. */
  readonly id: number;
  /** The fake server's "ip:port". */
  readonly server: string;
  /** The client's address and port as the server saw them. */
  readonly ip: string;
  readonly remotePort: number;
  /** The Steam id of its first valid request; null until then. */
  playerId: string | null;
  /** Times in ms on the recorder's clock (epoch ms with sub-millisecond precision by default). */
  readonly openedAt: number;
  closedAt: number | null;
  /** When each message from the client arrived, oldest first. */
  readonly sentAt: number[];
}

/** The pairing a socket serves: "ip:port/steamId". */
export const pairingOf = (socket: Pick<SocketRecord, "server" | "playerId">): string => `${socket.server}/${socket.playerId ?? "?"}`;

/** When a socket stopped being active: its last message, or its opening if it sent none. */
export const activeUntil = (socket: Pick<SocketRecord, "openedAt" | "sentAt">): number => socket.sentAt.at(-1) ?? socket.openedAt;

/** Events: `change` (after every open, message, identification and close). */
export class SocketRecorder extends EventEmitter {
  readonly #sockets: SocketRecord[] = [];

  /** `now`: the clock, ms (tests of the recorder itself pass a manual one). */
  constructor(readonly now: () => number = () => performance.timeOrigin + performance.now()) {
    super();
  }

  /** Every socket recorded, oldest first (live records: they change as the sockets do). */
  get sockets(): readonly SocketRecord[] {
    return this.#sockets;
  }

  opened(server: string, ip: string, remotePort: number): SocketRecord {
    const socket: SocketRecord = { id: this.#sockets.length + 1, server, ip, remotePort, playerId: null, openedAt: this.now(), closedAt: null, sentAt: [] };
    this.#sockets.push(socket);
    this.emit("change");
    return socket;
  }

  received(socket: SocketRecord): void {
    socket.sentAt.push(this.now());
    this.emit("change");
  }

  /** The socket's first valid request named `playerId` (later ones do not change it). */
  identified(socket: SocketRecord, playerId: string): void {
    if (socket.playerId !== null) return;
    socket.playerId = playerId;
    this.emit("change");
  }

  closed(socket: SocketRecord): void {
    if (socket.closedAt !== null) return;
    socket.closedAt = this.now();
    this.emit("change");
  }

  /** Sockets still open, with a known player. */
  open(): SocketRecord[] {
    return this.#sockets.filter((s) => s.closedAt === null && s.playerId !== null);
  }

  /** Open sockets per pairing ("ip:port/steamId" → count), known players only. */
  openByPairing(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const s of this.open()) counts.set(pairingOf(s), (counts.get(pairingOf(s)) ?? 0) + 1);
    return counts;
  }

  /** Pairs of sockets of one pairing whose active spans intersect (the rule above), earlier-opened first. */
  overlaps(): [SocketRecord, SocketRecord][] {
    const byPairing = new Map<string, SocketRecord[]>();
    for (const s of this.#sockets) {
      if (s.playerId === null) continue;
      byPairing.set(pairingOf(s), [...(byPairing.get(pairingOf(s)) ?? []), s]);
    }
    const found: [SocketRecord, SocketRecord][] = [];
    for (const sockets of byPairing.values()) {
      for (const [i, a] of sockets.entries()) {
        for (const b of sockets.slice(i + 1)) {
          if (a.openedAt < activeUntil(b) && b.openedAt < activeUntil(a)) found.push([a, b]);
        }
      }
    }
    return found;
  }

  /** Resolves once `condition()` holds, checked now and after each change; rejects with `signal`'s reason. */
  async until(condition: () => boolean, signal?: AbortSignal): Promise<void> {
    while (!condition()) await once(this, "change", signal ? { signal } : {});
  }
}
