// The fake Rust+ server's socket recorder: what it records of real rustplus.js clients, and its overlap rule
// (two sockets of one pairing active at once) on spans written by hand.
import { once } from "node:events";
import RustPlus from "@liamcottle/rustplus.js";
import { afterEach, describe, expect, it } from "vitest";
import { shareRustPlusProto } from "../../src/rustplus/shared-proto.ts";
import type { RustPlusClient } from "./rustplus/client-types.ts";
import { FakeRustServer, SocketRecorder, pairingOf } from "./rustplus/index.ts";

const ME = "76561198000000001";
const MATE = "76561198000000002";

shareRustPlusProto();

const servers: FakeRustServer[] = [];
const clients: RustPlusClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serverWith(recorder: SocketRecorder): Promise<FakeRustServer> {
  const server = await FakeRustServer.start({ players: [{ steamId: ME, playerToken: 1 }, { steamId: MATE, playerToken: 2 }], recorder });
  servers.push(server);
  return server;
}

async function connect(server: FakeRustServer, steamId: string, token: number): Promise<RustPlusClient> {
  const rp = new RustPlus("127.0.0.1", server.port, steamId, token);
  rp.on("error", () => undefined);
  clients.push(rp);
  const connected = once(rp, "connected");
  rp.connect();
  await connected;
  return rp;
}

const getInfo = (rp: RustPlusClient) => new Promise<void>((resolve) => rp.getInfo(() => resolve()));

/** A recorder on a clock the test moves by hand. */
function manual() {
  let t = 0;
  const recorder = new SocketRecorder(() => t);
  return { recorder, at: (ms: number) => (t = ms) };
}

describe("the socket recorder with real clients", () => {
  it("records each socket's server, player once known, messages and close, shared by two servers", async () => {
    const recorder = new SocketRecorder();
    const [a, b] = [await serverWith(recorder), await serverWith(recorder)];
    const one = await connect(a, ME, 1);
    await recorder.until(() => recorder.sockets.length === 1);
    expect(recorder.sockets[0]).toMatchObject({ server: `127.0.0.1:${a.port}`, ip: "127.0.0.1", playerId: null, closedAt: null, sentAt: [] });
    await getInfo(one);
    await getInfo(one);
    expect(recorder.sockets[0]).toMatchObject({ playerId: ME });
    expect(recorder.sockets[0]!.sentAt).toHaveLength(2);
    const two = await connect(b, MATE, 2);
    await getInfo(two);
    expect([...recorder.openByPairing()]).toEqual([[`127.0.0.1:${a.port}/${ME}`, 1], [`127.0.0.1:${b.port}/${MATE}`, 1]]);
    one.disconnect();
    await recorder.until(() => recorder.sockets[0]!.closedAt !== null);
    expect(recorder.open().map(pairingOf)).toEqual([`127.0.0.1:${b.port}/${MATE}`]);
    // A socket that never sent a valid request serves no pairing.
    await connect(a, ME, 999).then(getInfo);
    expect(recorder.sockets[2]).toMatchObject({ playerId: null, sentAt: [expect.any(Number)] });
    expect(recorder.open().map(pairingOf)).toEqual([`127.0.0.1:${b.port}/${MATE}`]);
  });

  it("finds two clients of one pairing talking at once, not one gone quiet next to a new one", async () => {
    const recorder = new SocketRecorder();
    const server = await serverWith(recorder);
    const old = await connect(server, ME, 1);
    await getInfo(old);
    const fresh = await connect(server, ME, 1);
    await getInfo(fresh);
    // The old socket is still open (as a paused process's is) but quiet: the handover is fine.
    expect(recorder.overlaps()).toEqual([]);
    expect(recorder.openByPairing().get(`127.0.0.1:${server.port}/${ME}`)).toBe(2);
    // It speaks again after the new one opened: both were active at once.
    await getInfo(old);
    expect(recorder.overlaps().map(([x, y]) => [x.id, y.id])).toEqual([[1, 2]]);
  });
});

describe("the overlap rule", () => {
  it("is about activity spans of one pairing: [opened, last message]", () => {
    const { recorder, at } = manual();
    at(0);
    const a = recorder.opened("s:1", "127.0.0.1", 5000);
    recorder.identified(a, ME);
    at(10);
    recorder.received(a);
    // Another player, and another server, at the same time: other pairings.
    const mate = recorder.opened("s:1", "127.0.0.1", 5001);
    recorder.identified(mate, MATE);
    recorder.received(mate);
    const elsewhere = recorder.opened("s:2", "127.0.0.1", 5002);
    recorder.identified(elsewhere, ME);
    recorder.received(elsewhere);
    // Opens exactly when `a` last spoke: touching ends are not an overlap (a graceful handover).
    const b = recorder.opened("s:1", "127.0.0.1", 5003);
    at(20);
    recorder.identified(b, ME);
    recorder.received(b);
    expect(recorder.overlaps()).toEqual([]);
    // `a` speaks again while `b` is active: an overlap, reported once, earlier socket first.
    at(30);
    recorder.received(a);
    expect(recorder.overlaps()).toEqual([[a, b]]);
    // Closing afterwards changes nothing: the messages happened.
    recorder.closed(a);
    expect(recorder.overlaps()).toEqual([[a, b]]);
  });

  it("counts a socket that sent nothing as active at its opening only, and ignores sockets with no player", () => {
    const { recorder, at } = manual();
    at(0);
    const a = recorder.opened("s:1", "127.0.0.1", 5000);
    recorder.identified(a, ME);
    at(5);
    recorder.received(a);
    at(10);
    const silent = recorder.opened("s:1", "127.0.0.1", 5001);
    recorder.identified(silent, ME);
    const anonymous = recorder.opened("s:1", "127.0.0.1", 5002);
    at(15);
    recorder.received(anonymous);
    expect(recorder.overlaps()).toEqual([]);
    // A silent socket opened inside another's active span overlaps it.
    at(20);
    recorder.received(a);
    expect(recorder.overlaps()).toEqual([[a, silent]]);
  });
});
