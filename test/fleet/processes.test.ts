// The fleet harness on the fleet as it is: two `npm start` processes on one PostgreSQL database, splitting the
// work by Discord shard (DISCORD_SHARD_COUNT=2, DISCORD_SHARD_IDS=0 / 1). Every live server gets exactly one
// socket (from the process of its user's shard), never two talking at once, and an alarm that reaches the bot
// both on the socket and as a push is posted once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alarmPosts, alarmSettled, closeTeams, fireAlarm, liveSince, seedTeams, type SeededTeam } from "../helpers/fleet-seed.ts";
import { Fleet, until } from "../helpers/fleet.ts";

// Two processes start (tsx, game data, gateway, sockets) in 25-75 s on a busy shared machine (the first test
// took 76 s at most, the second 3 s): the timeouts are above three times that.
const TEST_TIMEOUT_MS = 300_000;
const STARTUP_MS = 240_000;
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
      () => servers().every(({ server }) => liveSince(server)),
      STARTUP_MS,
    );
    await until("every user's push channel logged in", () => teams.every((t) => fleet.mcs.logins(t.androidId) >= 1), WITHIN_MS);

    expect(teams.map((t) => fleet.mcs.connectionsOf(t.androidId))).toEqual(teams.map(() => 1));
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

  });

  it("freeze and thaw a process (its alarms wait, then post once), lose a killed one's sockets at once, stop the last gracefully", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { recorder } = fleet;
    // Users on shard 1 belong to process 1 (the guild of user u is on shard u % 2).
    const ofProcess = (i: number) => servers().filter((_, u) => u % 2 === i);
    fleet.pause(1);
    const since = new Date();
    const fired = ofProcess(1).map(({ team, server }) => ({ team, server, persistentId: fireAlarm(fleet, team, server) }));
    expect(fleet.processes[1]!.state).toBe("paused");
    fleet.resume(1);
    await until("the thawed process handled its alarms both ways", async () => (await Promise.all(fired.map((f) => alarmSettled(fleet, f.team, f.server, f.persistentId, since)))).every(Boolean), WITHIN_MS);
    // Second trigger of each of these alarms: one post each time.
    expect(fired.map(({ team, server }) => alarmPosts(fleet, team, server))).toEqual(fired.map(() => 2));

    const pairingsOf0 = new Set(ofProcess(0).map(({ server }) => server.pairing));
    await fleet.kill9(0);
    expect(fleet.processes[0]!.exit).toEqual({ code: null, signal: "SIGKILL" });
    // The kernel closes a killed process's sockets: the servers and Google see them go.
    await recorder.until(() => recorder.open().every((s) => !pairingsOf0.has(`${s.server}/${s.playerId}`)));
    await until("the killed process's push channels closed", () => ofProcess(0).every(({ team }) => fleet.mcs.connectionsOf(team.androidId) === 0), WITHIN_MS);

    expect(await fleet.stop(1)).toEqual({ code: 0, signal: null });
    await recorder.until(() => recorder.open().length === 0);
    expect(recorder.overlaps()).toEqual([]);
  });
});
