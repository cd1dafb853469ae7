// The fleet harness on the fleet as it is: two `npm start` processes on one PostgreSQL database, splitting the
// work by Discord shard (DISCORD_SHARD_COUNT=2, DISCORD_SHARD_IDS=0 / 1). Every live server gets exactly one
// socket (from the process of its user's shard), never two talking at once, and an alarm that reaches the bot
// both on the socket and as a push is posted once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alarmPosts, alarmSettled, closeTeams, fireAlarm, seedTeams, type SeededTeam } from "../helpers/fleet-seed.ts";
import { Fleet, until } from "../helpers/fleet.ts";

// Two processes start (tsx, migrations check, gateway, sockets) in about 10 s on a 2-core machine; the whole
// file took 20 s at most: the timeouts are well above three times that.
const TEST_TIMEOUT_MS = 180_000;
const WITHIN_MS = 60_000;

let fleet: Fleet;
let teams: SeededTeam[] = [];

beforeAll(async () => {
  fleet = await Fleet.create({ discord: { shardCount: 2 } });
  // Four users, one live server each, their guilds alternating between the two shards.
  teams = await seedTeams(fleet, { users: 4, serversPerUser: 1, shardOf: (u) => u % 2 });
  for (const shard of [0, 1]) fleet.start({ DISCORD_SHARD_COUNT: "2", DISCORD_SHARD_IDS: String(shard) });
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  await fleet?.close();
  await closeTeams(teams);
});

const servers = () => teams.flatMap((team) => team.servers.map((server) => ({ team, server })));

describe("two processes split by shard", () => {
  it("connect every live server once, listen for every user's pushes, and post an alarm once", { timeout: TEST_TIMEOUT_MS }, async () => {
    await Promise.all([0, 1].map((i) => fleet.waitForLog(i, (l) => l.msg === "restored Rust+ connections")));
    // Every pairing has its socket, and the socket asked about the alarm (so the game broadcasts its triggers).
    await until(
      "every server connected with its alarm read",
      () => servers().every(({ server }) => server.rust.connectionInfo().some((c) => c.entities.includes(7001))),
      WITHIN_MS,
    );
    await until("every user's push channel logged in", () => teams.every((t) => fleet.mcs.logins(t.androidId) >= 1), WITHIN_MS);

    const { recorder } = fleet;
    expect([...recorder.openByPairing()].sort()).toEqual(servers().map(({ server }) => [server.pairing, 1]).sort());
    // One socket ever per pairing: nobody connected twice or from both processes.
    expect(recorder.sockets.filter((s) => s.playerId !== null)).toHaveLength(servers().length);
    // Each process restored its own shard's users, no more.
    const restored = [0, 1].map((i) => fleet.processes[i]!.logs.items.find((l) => l.msg === "restored Rust+ connections")?.["servers"]);
    expect(restored).toEqual([2, 2]);

    const since = new Date();
    const fired = servers().map(({ team, server }) => ({ team, server, persistentId: fireAlarm(fleet, team, server) }));
    await until("every alarm's socket and push arrival handled", async () => (await Promise.all(fired.map((f) => alarmSettled(fleet, f.team, f.server, f.persistentId, since)))).every(Boolean), WITHIN_MS);
    expect(fired.map(({ team, server }) => alarmPosts(fleet, team, server))).toEqual(fired.map(() => 1));
    expect(recorder.overlaps()).toEqual([]);

    const exits = await Promise.all([0, 1].map((i) => fleet.stop(i)));
    expect(exits).toEqual([{ code: 0, signal: null }, { code: 0, signal: null }]);
    await recorder.until(() => recorder.open().length === 0);
    expect(recorder.overlaps()).toEqual([]);
  });
});
