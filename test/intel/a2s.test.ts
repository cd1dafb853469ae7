// The A2S client (gamedig) against the fake query port over real UDP; query-port candidates; streamer names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2sError, createA2sClient } from "../../src/intel/a2s/a2s-client.ts";
import { parseRustKeywords } from "../../src/intel/a2s/keywords.ts";
import { answerMatches, discoverQueryPort, queryPortCandidates } from "../../src/intel/a2s/query-port.ts";
import { looksLikeStreamerMode } from "../../src/intel/poll/streamer-names.ts";
import { FakeA2sServer } from "../fakes/a2s/index.ts";

let fake: FakeA2sServer;
const query = createA2sClient({ timeoutMs: 1000 });

beforeAll(async () => {
  fake = await FakeA2sServer.start({ name: "Rustopia EU Main", maxPlayers: 150, born: 1_767_225_600, queued: 7 });
});
afterAll(async () => {
  await fake?.close();
});

describe("A2S client", () => {
  it("reads name, counts, queue, wipe and game port from A2S_INFO after the challenge, and the list from A2S_PLAYER", async () => {
    fake.join("Alice", 3600);
    fake.join("[ABC] Bob", 60);
    fake.connecting = 2; // Rust lists connecting players with empty names
    const before = { ...fake.counts };
    const answer = await query("127.0.0.1", fake.port);
    expect(answer).toMatchObject({ name: "Rustopia EU Main", players: 2, maxPlayers: 150, queuedPlayers: 7, wipeAt: new Date(1_767_225_600_000), gamePort: fake.port - 1, unnamed: 2, missingFromList: 0 });
    expect(answer.list?.map((p) => p.name)).toEqual(["Alice", "[ABC] Bob"]);
    expect(answer.list?.[0]?.connectedSeconds).toBeGreaterThanOrEqual(3600);
    expect(answer.list?.every((p) => p.steamId === undefined)).toBe(true);
    expect(fake.counts.challenge - before.challenge).toBeGreaterThanOrEqual(1);
    expect(fake.counts.info - before.info).toBe(1);
    fake.connecting = 0;
  });

  it("says how many are missing from a capped list", async () => {
    fake.join("Carol");
    fake.listCap = 2;
    const answer = await query("127.0.0.1", fake.port);
    expect(answer.players).toBe(3);
    expect(answer.list).toHaveLength(2);
    expect(answer.missingFromList).toBe(1);
    fake.listCap = undefined;
  });

  it("gives no list (not an empty one) when A2S_PLAYER goes unanswered while players are online", async () => {
    fake.misbehaviour = "silent-players";
    const answer = await query("127.0.0.1", fake.port);
    expect(answer.list).toBeNull();
    expect(answer.players).toBe(3);
    fake.misbehaviour = "none";
  });

  it("rejects with an A2sError: timeout for silence, malformed for an answer cut short", async () => {
    fake.misbehaviour = "silent";
    await expect(query("127.0.0.1", fake.port)).rejects.toMatchObject({ name: "A2sError", kind: "timeout" });
    fake.misbehaviour = "malformed-info";
    const err = await query("127.0.0.1", fake.port).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(A2sError);
    expect(err).toMatchObject({ kind: "malformed" });
    fake.misbehaviour = "none";
  });

  it("reads Rust's keywords and ignores junk", () => {
    expect(parseRustKeywords(["mp50", "cp1", "ptrak", "qp0", "v2279", "h5c706e58", "stok", "born1612468053", "gmrust", "oxide", "modded"])).toEqual({ maxPlayers: 50, currentPlayers: 1, queuedPlayers: 0, born: 1612468053 });
    expect(parseRustKeywords(["cpx", "mp-1", "born0", "qp99999999999999999999"])).toEqual({});
  });
});

describe("query port discovery", () => {
  it("tries the ports the defaults put below the app port, most likely first", () => {
    expect(queryPortCandidates(28_082)).toEqual([28_016, 28_015, 28_017, 28_014, 28_018, 28_013]);
    expect(queryPortCandidates(66).every((p) => p >= 1)).toBe(true);
  });

  it("takes the first candidate that answers as this server, skipping silent ports and other servers", async () => {
    const other = await FakeA2sServer.start({ name: "Somebody Else's Server", gamePort: 1 });
    try {
      const silent = await FakeA2sServer.start();
      silent.misbehaviour = "silent";
      const found = await discoverQueryPort(query, "127.0.0.1", { appPort: 40_000, names: ["rustopia eu main "] }, [silent.port, other.port, fake.port]);
      await silent.close();
      expect(found?.port).toBe(fake.port);
      expect(found?.answer.name).toBe("Rustopia EU Main");
      expect(other.queries).toBe(1);
    } finally {
      await other.close();
    }
  });

  it("recognises the server by its EDF game port when the names differ", () => {
    const answer = { name: "Renamed", players: 0, maxPlayers: 1, queuedPlayers: null, wipeAt: null, gamePort: 28_015, list: [], missingFromList: 0, unnamed: 0 };
    expect(answerMatches(answer, { appPort: 28_082, names: ["Old name"] })).toBe(true);
    expect(answerMatches({ ...answer, gamePort: 28_200 }, { appPort: 28_082, names: ["Old name"] })).toBe(false);
  });
});

describe("streamer-mode names", () => {
  it("recognises a list of generated names with enough players, in their variants", () => {
    // As Facepunch's list has them (lower-case first names), and variants: capitalised, or words joined.
    // Ten names at least: fewer plain names are a small server's friends as often as not.
    const more = ["oliver", "ava", "liam", "emma", "noah"];
    expect(looksLikeStreamerMode(["james", "mary", "ai", "adah", "gwendolyn", "bob", ...more])).toBe(true);
    expect(looksLikeStreamerMode(["Mildred", "Gordon", "Hairy Pickle", "Bucket_Head", "SmellyFox", ...more])).toBe(true);
    expect(looksLikeStreamerMode(["Mildred", "Gordon", "Pickle", "Bucket", ...more])).toBe(false); // too few to tell
    expect(looksLikeStreamerMode(["Alice", "Bob", "Charlie", "Dave", "Eve"])).toBe(false); // too few to tell
    expect(looksLikeStreamerMode(["Mildred", "Gordon", "Pickle", "Bucket", "xXsniperXx", ...more])).toBe(false);
    expect(looksLikeStreamerMode(["Mildred", "Gordon", "Pickle", "Bucket", "[ABC] Bob", ...more])).toBe(false);
    expect(looksLikeStreamerMode(["Mildred", "Gordon", "Pickle", "Bucket", "Игорь", ...more])).toBe(false);
    expect(looksLikeStreamerMode(["james", "mary", "ai", "adah", "gwendolyn", "bob2", ...more])).toBe(false);
  });
});
