// Waiting for a Rust+ connection slot: the fleet's capacity to one Rust server from FleetProcess and FleetLease
// rows (alive processes' addresses × cap, less unexpired held leases), and what the owner is told — once per wait,
// only when no process anywhere has a slot, and that the server is connected when one frees. Both databases.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fleetCapacity } from "../../src/fleet/fleet-capacity.ts";
import { SlotWaitNotices, slotWaitText } from "../../src/fleet/slot-waits.ts";
import { Notifier } from "../../src/notify/notifier.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { linkUser } from "../helpers/bot.ts";
import { capturedLogger } from "../helpers/logs.ts";

const TTL = 30_000;
const RUST = "127.0.0.1:28082";
let db: TestDatabase;
let serverId: string;
let userId: string;
const { logger } = capturedLogger();
let changed: string[];
let waits: SlotWaitNotices;
let leases = 0;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

beforeEach(async () => {
  const { prisma } = db;
  await prisma.fleetLease.deleteMany();
  await prisma.fleetProcess.deleteMany();
  await prisma.notificationOutbox.deleteMany();
  const user = await linkUser(prisma, String(200_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e12))));
  userId = user.id;
  const server = await prisma.pairedServer.create({
    data: { userId, serverName: "Rustoria US Main", ip: "127.0.0.1", port: 28082, playerSteamId: user.steamId, playerToken: Buffer.from("x"), playerTokenKeyVersion: 1, live: true },
  });
  serverId = server.id;
  changed = [];
  waits = new SlotWaitNotices(prisma, new Notifier(prisma, logger), logger, { leaseTtlMs: TTL, onChange: (id) => changed.push(id) });
});

async function process(id: string, addresses: string[], heartbeatAgoMs = 0) {
  await db.prisma.fleetProcess.create({ data: { id, host: "box", pid: 1, addresses, heartbeatAt: new Date(Date.now() - heartbeatAgoMs) } });
}

/** `n` server-socket leases on `address`; `expired` ones ran out, `released` ones have no holder. */
async function sockets(address: string, n: number, state: "held" | "expired" | "released" = "held", rustServer = RUST) {
  for (let i = 0; i < n; i++) {
    await db.prisma.fleetLease.create({
      data: {
        key: `server:test-${++leases}`,
        holder: state === "released" ? null : "p1",
        expiresAt: new Date(Date.now() + (state === "expired" ? -60_000 : 60_000)),
        rustServer,
        egressAddress: address,
      },
    });
  }
}

const notices = async () =>
  (await db.prisma.notificationOutbox.findMany({ where: { userId }, orderBy: { seq: "asc" } })).map((r) => (r.payload as { text: string }).text);
const waitingSince = async () => (await db.prisma.pairedServer.findUniqueOrThrow({ where: { id: serverId } })).slotWaitSince;

/** Three alive addresses over two processes, one dead process. */
async function fleetOfThree() {
  await process("p1", ["10.0.0.1", "10.0.0.2"]);
  await process("p2", ["10.0.0.3"]);
  await process("dead", ["10.0.0.9"], 2 * TTL);
}

describe("fleet capacity", () => {
  it("counts the addresses of alive processes only, and held, unexpired leases on them", async () => {
    await fleetOfThree();
    await sockets("10.0.0.1", 5);
    await sockets("10.0.0.2", 5);
    await sockets("10.0.0.3", 4);
    await sockets("10.0.0.3", 2, "expired");
    await sockets("10.0.0.3", 2, "released");
    await sockets("10.0.0.9", 5); // a dead process's leases that have not expired yet: no capacity, but used
    await sockets("10.0.0.3", 3, "held", "127.0.0.1:28083"); // another Rust server
    const capacity = await db.prisma.$transaction((tx) => fleetCapacity(tx, RUST, 5, TTL));
    expect(capacity).toEqual({
      addresses: ["10.0.0.1", "10.0.0.2", "10.0.0.3"],
      used: new Map([["10.0.0.1", 5], ["10.0.0.2", 5], ["10.0.0.3", 4], ["10.0.0.9", 5]]),
      free: 1,
    });
    await sockets("10.0.0.3", 1);
    expect((await db.prisma.$transaction((tx) => fleetCapacity(tx, RUST, 5, TTL))).free).toBe(0);
    // A server whose operator raised the cap has room again.
    expect((await db.prisma.$transaction((tx) => fleetCapacity(tx, RUST, 6, TTL))).free).toBe(3);
  });
});

describe("slot waits", () => {
  it("tell the owner nothing while another process of the fleet has a free slot", async () => {
    await fleetOfThree();
    await sockets("10.0.0.1", 5);
    await sockets("10.0.0.2", 5); // this process (p1) is full; p2's 10.0.0.3 is not
    await waits.noSlot(serverId, { rustServer: RUST, cap: 5, addressesInFleet: 2 });
    expect([await waitingSince(), await notices(), changed]).toEqual([null, [], []]);
  });

  it("when every slot of the fleet is in use: the server waits and its owner is told why, once", async () => {
    await fleetOfThree();
    for (const address of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) await sockets(address, 5);
    await waits.noSlot(serverId, { rustServer: RUST, cap: 5, addressesInFleet: 2 });
    await waits.noSlot(serverId, { rustServer: RUST, cap: 5, addressesInFleet: 2 });
    expect(await waitingSince()).toBeInstanceOf(Date);
    expect(await notices()).toEqual([
      "Rustoria US Main is waiting for a connection slot: the game server allows only 5 Rust+ connections per address, and every one of the " +
        "bot's 15 connection slots to it (5 per address × 3 addresses) is in use by other teams. The bot connects by itself as soon as one frees; nothing to do.",
    ]);
    expect(changed).toEqual([serverId]);

    await waits.gotSlot(serverId);
    await waits.gotSlot(serverId);
    expect(await waitingSince()).toBeNull();
    expect((await notices())[1]).toBe("Rustoria US Main is connected now: a connection slot freed up.");
    expect((await notices()).length).toBe(2);
    expect(changed).toEqual([serverId, serverId]);

    // A later wait is a new one: told again.
    await waits.noSlot(serverId, { rustServer: RUST, cap: 5, addressesInFleet: 3 });
    expect((await notices()).length).toBe(3);
  });

  it("a server that never waited gets no 'connected now'; one the owner disconnected does not wait", async () => {
    await waits.gotSlot(serverId);
    await db.prisma.pairedServer.update({ where: { id: serverId }, data: { live: false } });
    await process("p1", ["10.0.0.1"]);
    await sockets("10.0.0.1", 5);
    await waits.noSlot(serverId, { rustServer: RUST, cap: 5, addressesInFleet: 1 });
    expect([await waitingSince(), await notices(), changed]).toEqual([null, [], []]);
  });

  it("says one address and one slot in the singular", () => {
    expect(slotWaitText("X", 1, 1)).toContain("only 1 Rust+ connection per address, and every one of the bot's 1 connection slot to it (1 per address × 1 address)");
  });
});
