// `npm run probe`: the diagnostic command run as operators run it (a child process through tsx), against the fake
// Rust+ server, a server that leaves every default off the wire, a refused token, nothing listening, a server that
// never answers, one whose answers do not decode, and bad arguments.
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { FakeRustServer, MarkerType } from "../fakes/rustplus/index.ts";
import { runToEnd, spawnTs } from "../helpers/spawn.ts";

const ME = "76561198000000001";
const TOKEN = "-1234567890";

const closers: Array<() => Promise<unknown>> = [];
async function closeAll(): Promise<void> {
  for (const close of closers.splice(0)) await close();
}
afterEach(closeAll);

async function probe(...args: string[]) {
  const result = await runToEnd(spawnTs("src/rustplus/probe.ts", args));
  // Whatever happens, the player token is never printed.
  expect(`${result.stdout}${result.stderr}`).not.toContain("1234567890");
  return { ...result, report: result.stdout ? (JSON.parse(result.stdout) as Record<string, unknown>) : null };
}

async function fake(options: Parameters<typeof FakeRustServer.start>[0] = {}): Promise<FakeRustServer> {
  const server = await FakeRustServer.start({ players: [{ steamId: ME, playerToken: Number(TOKEN) }], ...options });
  closers.push(() => server.close());
  return server;
}

async function listen<T extends Server | WebSocketServer>(server: T): Promise<number> {
  if (server instanceof WebSocketServer) await once(server, "listening");
  else await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as { port: number }).port;
}

describe("npm run probe", () => {
  it("prints what the bot sees of a server as JSON: info, time, team, map and monuments, markers by type", async () => {
    const server = await fake({
      world: {
        team: { leaderSteamId: ME, members: [{ steamId: ME, name: "Me", x: 100, y: 200, isOnline: true, spawnTime: 1, isAlive: true, deathTime: 0 }] },
        markers: [
          { id: 1, type: MarkerType.CargoShip, x: -50, y: 900 },
          { id: 2, type: MarkerType.PatrolHelicopter, x: 10, y: 20 },
          { id: 3, type: MarkerType.TravelingVendor, x: 30, y: 40 },
          { id: 4, type: MarkerType.CargoShip, x: 3100, y: 10 },
        ],
      },
    });
    const { code, stderr, report } = await probe("127.0.0.1", String(server.port), ME, TOKEN);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(report).toMatchObject({
      ok: true,
      server: `127.0.0.1:${server.port}`,
      steamId: ME,
      info: { name: "Fake Rust Server", mapSize: 3000, players: 42, maxPlayers: 200, queuedPlayers: 0 },
      time: { time: 12, sunrise: 7, sunset: 20 },
      team: { leaderSteamId: ME, members: [expect.objectContaining({ steamId: ME, name: "Me", isOnline: true })] },
      map: { mapSize: 3000, width: 2500, height: 2500, monuments: expect.arrayContaining([{ token: "outpost", x: 1500, y: 1500 }]) },
      markers: { total: 4, byType: { CargoShip: 2, PatrolHelicopter: 1, TravelingVendor: 1 } },
      errors: [],
    });
    expect(server.connections).toBe(0); // the socket was closed
  });

  it("reads a server that leaves every default off the wire: empty queue, a monument at x = 0, a free sale, a note of type 0", async () => {
    const server = await fake({
      world: {
        info: { players: 0, queuedPlayers: 0, seed: 0, salt: 0 },
        time: { time: 0, sunrise: 0 },
        team: { leaderSteamId: ME, members: [{ steamId: ME, name: "", x: 0, y: 0, isOnline: false, spawnTime: 0, isAlive: false, deathTime: 0 }], mapNotes: [{ type: 0, x: 0, y: 0 }] },
        map: { monuments: [{ token: "outpost", x: 0, y: 0 }] },
        markers: [{ id: 0, type: MarkerType.VendingMachine, x: 0, y: 0, sellOrders: [
          { itemId: 0, quantity: 0, currencyId: 0, costPerItem: 0, amountInStock: 0, itemIsBlueprint: false, currencyIsBlueprint: false },
        ] }],
      },
    });
    const { code, report } = await probe("127.0.0.1", String(server.port), ME, TOKEN);
    expect(report?.["errors"]).toEqual([]);
    expect(code).toBe(0);
    expect(report).toMatchObject({
      info: { players: 0, queuedPlayers: 0, seed: 0 },
      time: { time: 0, sunrise: 0 },
      team: { members: [{ steamId: ME, name: "", x: 0, y: 0, isOnline: false, isAlive: false, spawnTime: 0, deathTime: 0 }] },
      map: { monuments: [{ token: "outpost", x: 0, y: 0 }] },
      markers: { total: 1, byType: { VendingMachine: 1 } },
    });
  });

  it("says the server refuses the token (not_found), and exits 1", async () => {
    const server = await fake();
    const { code, report } = await probe("127.0.0.1", String(server.port), "76561198000000009", TOKEN);
    expect(code).toBe(1);
    expect(report).toMatchObject({ ok: false, errors: [{ step: "getInfo", cause: "not_found", message: expect.stringContaining("pair the server again") }] });
    expect(report?.["info"]).toBeUndefined();
  });

  it("says nothing listens there (connection refused), and exits 1", async () => {
    const port = await listen(createServer());
    await closeAll(); // the port is free again: nothing listens there
    const { code, report } = await probe("127.0.0.1", String(port), ME, TOKEN);
    expect(code).toBe(1);
    expect(report).toMatchObject({ ok: false, errors: [{ step: "connect", cause: "connection_refused" }] });
  });

  it("gives up on a server that accepts the connection and never answers, with the cause timeout", async () => {
    // Reads the upgrade request and never answers it (reading, so the socket closes when the probe goes).
    const port = await listen(createServer((socket) => socket.resume().on("error", () => undefined)));
    const { code, report } = await probe("127.0.0.1", String(port), ME, TOKEN, "--timeout-ms", "300");
    expect(code).toBe(1);
    expect(report).toMatchObject({ errors: [{ step: "connect", cause: "timeout", message: expect.stringContaining("300 ms") }] });
  });

  it("names a decode error when the server's answers do not decode", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    wss.on("connection", (ws) => ws.on("message", () => ws.send(Buffer.from([0x0a, 0x07, 0x08, 0x01, 0x32, 0x03]))));
    const port = await listen(wss);
    const { code, report } = await probe("127.0.0.1", String(port), ME, TOKEN, "--timeout-ms=300");
    expect(code).toBe(1);
    expect((report?.["errors"] as unknown[])[0]).toMatchObject({ step: "getInfo", cause: "decode_error", message: expect.stringContaining("a frame of 6 bytes") });
  });

  it.each([
    [[], "expected 4 arguments"],
    [["127.0.0.1", "28082", ME], "expected 4 arguments"],
    [["127.0.0.1", "28082", ME, TOKEN, "extra"], "expected 4 arguments"],
    [["not an ip!", "28082", ME, TOKEN], "the ip"],
    [["127.0.0.1", "70000", ME, TOKEN], "the port"],
    [["127.0.0.1", "28082", "12345", TOKEN], "the Steam id"],
    [["127.0.0.1", "28082", ME, "-1234567890123"], "the player token"],
    [["127.0.0.1", "28082", ME, "1234567890x"], "the player token"],
    [["127.0.0.1", "28082", ME, TOKEN, "--timeout-ms", "soon"], "--timeout-ms"],
    [["127.0.0.1", "28082", ME, TOKEN, "--verbose"], "unknown option --verbose"],
  ])("refuses %j with one line and exit code 2", async (args, problem) => {
    const { code, stdout, stderr } = await probe(...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([expect.stringContaining(problem)]);
  });
});
