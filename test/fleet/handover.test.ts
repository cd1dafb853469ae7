// Issue 17's first "done when": three `npm start` processes on one PostgreSQL database, owning live work by
// leases (no shard settings), 30 live servers across them (10 users × 3 servers; the user is the unit of
// ownership: push listener and sockets together). One process is killed (kill -9), another paused (SIGSTOP):
// - every server is live again within the bound, on a socket opened after the handover began;
// - never two sockets of one pairing active at once (the socket recorder's rule, socket-recorder.ts);
// - every alarm triggered during the handover (while its owner is dead or paused, so only its push can reach
//   the fleet) is posted exactly once, also after the paused process runs again with the old socket and push
//   data buffered in its kernel;
// - the resumed process closes its stale sockets without sending on them, and its push channel stays closed
//   (one MCS connection per device).
// What it needs from the lease code: FLEET_LEASE_TTL_MS honoured; FleetLease rows `user:<User.id>` whose holder
// is the FleetProcess.id of a process whose FleetProcess.pid is its OS pid; the work spread so that each of
// the three processes holds at least one user (the fair share) — the test finds its victims from those rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alarmPosts, alarmSettled, closeTeams, fireAlarm, liveSince, seedTeams, type SeededServer, type SeededTeam } from "../helpers/fleet-seed.ts";
import { Fleet, until } from "../helpers/fleet.ts";

const LEASE_TTL_MS = 3_000;
// The bound ("loses its leases within a bounded time") for this TTL: the lease expires (TTL), a survivor
// notices at its next renewal (a third of the TTL) and opens up to 20 sockets and 7 push channels, on a busy
// 2-core machine; generous, it is a bound and not a measurement.
const HANDOVER_BOUND_MS = 5 * LEASE_TTL_MS + 15_000;
const STARTUP_MS = 240_000;
const TEST_TIMEOUT_MS = 480_000;

let fleet: Fleet;
let teams: SeededTeam[] = [];

const allServers = () => teams.flatMap((team) => team.servers.map((server) => ({ team, server })));

/** Process index (in fleet.processes) holding each user's lease, by user id; users whose holder is no fleet process are left out. */
async function holders(): Promise<Map<string, number>> {
  const { prisma } = fleet.db;
  const leases = await prisma.fleetLease.findMany({ where: { key: { startsWith: "user:" }, holder: { not: null }, expiresAt: { gt: new Date() } } });
  const processes = await prisma.fleetProcess.findMany();
  const indexOfHolder = new Map(processes.flatMap((p) => {
    const index = fleet.processes.findIndex((h) => h.pid === p.pid);
    return index < 0 ? [] : [[p.id, index] as const];
  }));
  return new Map(leases.flatMap((l) => (indexOfHolder.has(l.holder!) ? [[l.key.slice("user:".length), indexOfHolder.get(l.holder!)!] as const] : [])));
}

/**
 * How long the handover took, from the socket records (not asserted: a figure for the report): for each moved
 * pairing, the opening of its first socket after the kill and pause; the latest of them for the killed process's
 * and the paused process's pairings, and when the test saw every moved server and push channel back.
 */
function handoverFigures(moved: SeededServer[], killedPairings: ReadonlySet<string>, startedAt: number, seenAt: number): string {
  const reopened = (pairing: string) => Math.min(...fleet.recorder.sockets.filter((s) => s.playerId !== null && `${s.server}/${s.playerId}` === pairing && s.openedAt > startedAt).map((s) => s.openedAt));
  const latest = (pairings: string[]) => Math.round(Math.max(...pairings.map(reopened)) - startedAt);
  const pairings = moved.map((s) => s.pairing);
  return (
    `handover (TTL ${LEASE_TTL_MS} ms): ${pairings.length} servers reopened; killed process's last after ${latest(pairings.filter((p) => killedPairings.has(p)))} ms, ` +
    `paused process's last after ${latest(pairings.filter((p) => !killedPairings.has(p)))} ms; all live with push channels seen after ${Math.round(seenAt - startedAt)} ms`
  );
}

/** The fleet's state in a few lines, for a failure message: sockets, push channels, the user leases now, and
 *  for `alarms` (when given) what each still lacks (p: push receipt, b: broadcast recorded, o: outbox empty). */
async function state(alarms: { team: SeededTeam; server: SeededServer; persistentId: string; since: Date; broadcast?: boolean }[] = []): Promise<string> {
  const open = fleet.recorder.openByPairing();
  const owners = await holders();
  const { prisma } = fleet.db;
  const lacks = await Promise.all(
    alarms.map(async (a) => {
      const receipt = await prisma.pushReceipt.findUnique({ where: { userId_persistentId: { userId: a.team.userId, persistentId: a.persistentId } } });
      const device = a.broadcast === false || (await prisma.smartDevice.findFirst({ where: { pairedServerId: a.server.id, lastTriggeredAt: { gte: a.since } } }));
      const waiting = await prisma.notificationOutbox.count({ where: { userId: a.team.userId, status: "PENDING" } });
      return `${receipt ? "" : "p"}${device ? "" : "b"}${waiting ? "o" : ""}` || "-";
    }),
  );
  return [
    `open sockets per pairing: ${allServers().map(({ server }) => open.get(server.pairing) ?? 0).join(" ")}`,
    `push channels per device: ${teams.map((t) => fleet.mcs.connectionsOf(t.androidId)).join(" ")}`,
    `user leases by process: ${teams.map((t) => owners.get(t.userId) ?? "-").join(" ")}`,
    `overlaps: ${fleet.recorder.overlaps().length}`,
    ...(alarms.length ? [`alarms lacking: ${lacks.join(" ")}`] : []),
  ].join("\n");
}

describe("three processes owning work by leases", () => {
  beforeAll(async () => {
    fleet = await Fleet.create({ leaseTtlMs: LEASE_TTL_MS });
    teams = await seedTeams(fleet, { users: 10, serversPerUser: 3 });
    for (let i = 0; i < 3; i++) fleet.start();
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await fleet?.close();
    await closeTeams(teams);
  });

  it("hand over a killed and a paused process's servers: all live again, no two sockets at once, each alarm posted once", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { recorder, mcs } = fleet;
    await Promise.all([0, 1, 2].map((i) => fleet.waitForLog(i, (l) => l.msg === "logged in to Discord")));
    let owners = new Map<string, number>();
    await until(
      "all 30 servers live on one socket each, 10 push channels, every user leased, each process holding some",
      async () => {
        owners = await holders();
        return (
          allServers().every(({ server }) => liveSince(server) && recorder.openByPairing().get(server.pairing) === 1) &&
          teams.every((t) => mcs.connectionsOf(t.androidId) === 1) &&
          owners.size === teams.length &&
          new Set(owners.values()).size === 3
        );
      },
      STARTUP_MS,
      () => state(),
    );
    expect(recorder.overlaps()).toEqual([]);

    const [killed, paused] = [0, 1];
    const movedTeams = teams.filter((t) => owners.get(t.userId) === killed || owners.get(t.userId) === paused);
    const moved = movedTeams.flatMap((team) => team.servers.map((server) => ({ team, server })));
    const killedPairings = new Set(teams.filter((t) => owners.get(t.userId) === killed).flatMap((t) => t.servers.map((s) => s.pairing)));
    const pausedPairings = new Set(teams.filter((t) => owners.get(t.userId) === paused).flatMap((t) => t.servers.map((s) => s.pairing)));
    const loginsBefore = new Map(teams.map((t) => [t.androidId, mcs.logins(t.androidId)]));

    const handoverStart = recorder.now();
    await fleet.kill9(killed);
    fleet.pause(paused);
    const pausedAt = recorder.now();
    // Alarms go off while their owners are dead or frozen: the broadcasts land on dead or frozen sockets, the
    // pushes wait at Google (killed) or in the frozen process's socket buffer (paused).
    const duringSince = new Date();
    const during = moved.map(({ team, server }) => ({ team, server, persistentId: fireAlarm(fleet, team, server) }));

    await until(
      "every moved server live again on a new socket, every moved user's push channel back",
      () => moved.every(({ server }) => liveSince(server, handoverStart)) && movedTeams.every((t) => mcs.logins(t.androidId) > loginsBefore.get(t.androidId)!),
      HANDOVER_BOUND_MS,
      () => state(),
    );
    const liveAgainAt = recorder.now();
    expect(allServers().filter(({ server }) => !liveSince(server)).map(({ server }) => server.pairing)).toEqual([]);
    // The figure for the report (printed, not asserted: timing depends on the machine).
    process.stdout.write(`${handoverFigures(moved.map(({ server }) => server), killedPairings, handoverStart, liveAgainAt)}\n`);
    await until("every alarm of the handover handled", async () => (await Promise.all(during.map((a) => alarmSettled(fleet, a.team, a.server, a.persistentId, duringSince, { broadcast: false })))).every(Boolean), HANDOVER_BOUND_MS, () => state(during.map((a) => ({ ...a, since: duringSince, broadcast: false }))));
    expect(during.map(({ team, server }) => alarmPosts(fleet, team, server))).toEqual(during.map(() => 1));
    expect(recorder.overlaps()).toEqual([]);

    // The paused process runs again, its timers all due and the old sockets' data waiting to be read: it must
    // find its leases gone and close those sockets without a word.
    fleet.resume(paused);
    await until(
      "one open socket per pairing and one push channel per device again",
      () => allServers().every(({ server }) => recorder.openByPairing().get(server.pairing) === 1) && teams.every((t) => mcs.connectionsOf(t.androidId) === 1),
      HANDOVER_BOUND_MS,
      () => state(),
    );
    const stale = recorder.sockets.filter((s) => s.playerId !== null && pausedPairings.has(`${s.server}/${s.playerId}`) && s.openedAt < pausedAt);
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.filter((s) => s.closedAt === null || s.sentAt.some((t) => t > pausedAt)).map((s) => s.id)).toEqual([]);
    expect(recorder.overlaps()).toEqual([]);
    await until("nothing left in the outbox", async () => (await fleet.db.prisma.notificationOutbox.count({ where: { status: "PENDING" } })) === 0, HANDOVER_BOUND_MS, () => state());
    expect(during.map(({ team, server }) => alarmPosts(fleet, team, server))).toEqual(during.map(() => 1));

    // The resumed process counts again: the survivor gives back what exceeds its fair share (ceil(10 / 2)) and the
    // resumed one takes it. Once that settles, every server is fully live on its owner: an alarm arrives both
    // ways, posted once. (A trigger while its user moves reaches the new owner as a push only: the case above.)
    await until(
      "the users shared out again between the two running processes, every server live on one socket, one push channel each",
      async () => {
        const counts = [...(await holders()).values()].reduce((c, i) => c.set(i, (c.get(i) ?? 0) + 1), new Map<number, number>());
        return (
          counts.get(paused) === teams.length / 2 && counts.get(2) === teams.length / 2 &&
          allServers().every(({ server }) => liveSince(server) && recorder.openByPairing().get(server.pairing) === 1) &&
          teams.every((t) => mcs.connectionsOf(t.androidId) === 1)
        );
      },
      HANDOVER_BOUND_MS,
      () => state(),
    );
    const afterSince = new Date();
    const after = allServers().map(({ team, server }) => ({ team, server, persistentId: fireAlarm(fleet, team, server) }));
    await until("every alarm after the handover handled both ways", async () => (await Promise.all(after.map((a) => alarmSettled(fleet, a.team, a.server, a.persistentId, afterSince)))).every(Boolean), HANDOVER_BOUND_MS, () => state(after.map((a) => ({ ...a, since: afterSince }))));
    const expected = (s: SeededServer) => (during.some((d) => d.server === s) ? 2 : 1);
    expect(after.map(({ team, server }) => alarmPosts(fleet, team, server))).toEqual(after.map(({ server }) => expected(server)));
    expect(recorder.overlaps()).toEqual([]);
    // The resumed process did not take its users' push channels back behind the new owners.
    expect(teams.map((t) => mcs.connectionsOf(t.androidId))).toEqual(teams.map(() => 1));

    const exits = await Promise.all([paused, 2].map((i) => fleet.stop(i)));
    expect(exits).toEqual([{ code: 0, signal: null }, { code: 0, signal: null }]);
  });
});
