// Sockets bound to an egress address, through the real rustplus.js (its protocol, BoundRustPlus's connect())
// against the fake Rust+ server: the server sees each socket from its address and counts its per-IP cap per
// address, and a connection the server refuses over that cap — in each way a server can — is survived and
// retried until a slot frees. Loopback: every 127.0.0.x is an address of this machine on Linux.
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { rustPlusClient, RustConnection, type ConnectionState } from "../../src/rustplus/connection.ts";
import { RateBudget } from "../../src/rustplus/rate-budget.ts";
import { Log } from "../fakes/discord/waitable.ts";
import type { AppMessage, RustPlusClient } from "../fakes/rustplus/client-types.ts";
import { FakeRustServer, type FakeRustServerOptions, type OverLimit } from "../fakes/rustplus/index.ts";
import { capturedLogger } from "../helpers/logs.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";
import { eventually } from "../helpers/eventually.ts";

const PLAYERS = Array.from({ length: 8 }, (_, i) => ({ steamId: `7656119800000000${i}`, playerToken: 1000 + i }));
const ADDRESSES = ["127.0.0.2", "127.0.0.3", "127.0.0.4"];

const servers: FakeRustServer[] = [];
const clients: RustPlusClient[] = [];
const connections: RustConnection[] = [];

afterEach(async () => {
  for (const c of connections.splice(0)) c.stop();
  for (const rp of clients.splice(0)) rp.disconnect();
  for (const server of servers.splice(0)) {
    await server.close();
    expect(server.faults).toEqual([]);
  }
});

async function start(options: FakeRustServerOptions): Promise<FakeRustServer> {
  const server = await FakeRustServer.start({ players: PLAYERS, world: { team: null }, ...options });
  servers.push(server);
  return server;
}

/** A client from the bot's default factory, bound to `localAddress` (null: the default route). */
function client(server: FakeRustServer, player: number, localAddress: string | null): RustPlusClient {
  const p = PLAYERS[player]!;
  const rp = rustPlusClient("127.0.0.1", server.port, p.steamId, p.playerToken, localAddress);
  rp.on("error", () => undefined); // rustplus.js re-emits socket errors: without a listener the process dies
  clients.push(rp);
  return rp;
}

async function connect(server: FakeRustServer, player: number, localAddress: string | null): Promise<RustPlusClient> {
  const rp = client(server, player, localAddress);
  const connected = once(rp, "connected");
  rp.connect();
  await connected;
  return rp;
}

/** connect() of a client the server refuses: its events up to `disconnected`. */
async function refused(rp: RustPlusClient): Promise<string[]> {
  const events: string[] = [];
  for (const event of ["connected", "error", "disconnected"]) rp.on(event, () => events.push(event));
  const closed = new Promise((resolve) => rp.once("disconnected", resolve)); // not once(): it rejects on `error`
  rp.connect();
  await closed;
  return events;
}

describe("bound clients", () => {
  it("are seen by the server from their own address, each address under its own per-IP cap", async () => {
    const server = await start({ limits: { maxConnectionsPerIp: 2 } });
    const bound: RustPlusClient[] = [];
    for (const [i, address] of ADDRESSES.entries()) for (const k of [0, 1]) bound.push(await connect(server, 2 * i + k, address));
    expect(server.connectionsPerIp()).toEqual({ "127.0.0.2": 2, "127.0.0.3": 2, "127.0.0.4": 2 });

    // A third on 127.0.0.2 is over that address's cap; the default route (127.0.0.1) is another address.
    expect(await refused(client(server, 6, "127.0.0.2"))).toEqual(["error", "disconnected"]);
    await connect(server, 7, null);
    expect(server.connectionsPerIp()).toEqual({ "127.0.0.1": 1, "127.0.0.2": 2, "127.0.0.3": 2, "127.0.0.4": 2 });
    expect(server.refusedConnections).toBe(1);

    // The protocol is the library's: answers reach their request, broadcasts arrive as messages.
    const infos = await Promise.all(bound.map((rp) => rp.sendRequestAsync({ getInfo: {} })));
    expect(infos.map((r) => r.info?.name)).toEqual(bound.map(() => server.world.info.name));
    const heard = new Log<AppMessage>();
    bound[5]!.on("message", (m: AppMessage) => heard.push(m));
    server.broadcast({ entityChanged: { entityId: 77, payload: { value: true } } });
    expect((await heard.next((m) => !!m.broadcast)).broadcast?.entityChanged?.entityId).toBe(77);
    expect(server.connectionInfo().filter((c) => c.playerId).map((c) => c.ip).sort()).toEqual([...ADDRESSES, ...ADDRESSES].sort());
  });

  it("a local address that is not an IP address is refused when the client is made", () => {
    expect(() => rustPlusClient("127.0.0.1", 1, PLAYERS[0]!.steamId, 1, "eth0")).toThrow(/not an IP address/);
  });
});

describe("a connection over the cap", () => {
  it.each<OverLimit>(["close-before-handshake", "reject-upgrade", "close-after-open"])(
    "%s: the bot's connection waits and retries, and is live once a slot of its address frees",
    async (overLimit) => {
      const server = await start({ overLimit, limits: { maxConnectionsPerIp: 1 } });
      const blocker = await connect(server, 0, "127.0.0.2");
      const timers = new ManualTimers();
      const states = new Log<ConnectionState>();
      const { logger } = capturedLogger();
      const p = PLAYERS[1]!;
      const connection = new RustConnection(
        { serverId: "s1", ip: "127.0.0.1", port: server.port, playerId: p.steamId, playerToken: p.playerToken, localAddress: "127.0.0.2" },
        {
          budget: new RateBudget(timers),
          timers,
          logger,
          random: () => 0.5,
          hooks: { onState: (s) => states.push(s), onSnapshot: () => undefined, onBroadcast: () => undefined, onRejected: () => undefined },
        },
      );
      connections.push(connection);
      connection.start();
      const waiting = await states.waitFor((s) => s.kind === "waiting");
      expect(waiting.kind === "waiting" && waiting.reason).toMatch(/closed|failed/);
      expect(server.refusedConnections).toBe(1);

      const left = new Promise((resolve) => blocker.once("disconnected", resolve));
      blocker.disconnect();
      await left;
      await eventually(() => server.connections === 0);
      timers.advance(timers.nextAt()! - timers.now());
      await states.waitFor((s) => s.kind === "connected");
      expect(server.connectionInfo().map(({ ip, playerId, entities }) => ({ ip, playerId, entities }))).toEqual([{ ip: "127.0.0.2", playerId: p.steamId, entities: [] }]);
    },
  );
});

