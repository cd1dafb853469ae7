// The push channel's client (push-receiver's Client with heartbeats, mcs-client.ts) against the fake MCS server
// over TLS on loopback: login and a data message, an answer to the server's ping, a silent drop replaced by a
// new connection that then carries messages, and a refused check-in or login reported.
import { once } from "node:events";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { McsClient, type ChannelState } from "../../src/rustplus/mcs-client.ts";
import { FakeMcs } from "../fakes/mcs/index.ts";
import { pairingPush } from "../helpers/fcm-config.ts";

const STEAM_ID = "76561198000000001";
let mcs: FakeMcs;
const clients: McsClient[] = [];

beforeAll(async () => {
  mcs = await FakeMcs.start();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await mcs?.close();
});

/** A client of a device the fake knows; heartbeats as given (long by default: only the test's events drive it). */
function client(androidId: string, options: { heartbeatMs?: number; ackDeadlineMs?: number; securityToken?: string; refuseLogin?: boolean } = {}) {
  mcs.addDevice(androidId, "1234567890123456789", { refuseLogin: options.refuseLogin === true });
  const c = new McsClient(androidId, options.securityToken ?? "1234567890123456789", [], { ...mcs.clientOptions(), heartbeatMs: options.heartbeatMs ?? 3_600_000, ackDeadlineMs: options.ackDeadlineMs ?? 30_000 });
  const data: unknown[] = [];
  c.on("ON_DATA_RECEIVED", (d: unknown) => data.push(d));
  clients.push(c);
  const next = async () => {
    while (data.length === 0) await once(c, "ON_DATA_RECEIVED");
    return data.shift() as { persistentId: string; appData: { key: string; value: string }[] };
  };
  return { c, next };
}

describe("MCS client", () => {
  it("checks in, logs in, and receives a Rust+ push as push-receiver delivers it", async () => {
    const { c, next } = client("6100000000000000001");
    await c.connect();
    await mcs.waitForLogin("6100000000000000001", 1);
    mcs.deliver("6100000000000000001", pairingPush("0:100%first", STEAM_ID));
    const message = await next();
    expect(message.persistentId).toBe("0:100%first");
    expect(new Map(message.appData.map((e) => [e.key, e.value])).get("channelId")).toBe("pairing");
    expect(c.state()).toMatchObject({ connectedSince: expect.any(Date), down: null, lastMessageAt: expect.any(Date), reconnects: 0 });
  });

  it("answers Google's heartbeat ping with an ack carrying the frames it received", async () => {
    const { c, next } = client("6100000000000000002");
    await c.connect();
    await mcs.waitForLogin("6100000000000000002", 1);
    mcs.deliver("6100000000000000002", pairingPush("0:200%a", STEAM_ID));
    await next();
    // LoginResponse, the data message and the ping itself.
    const ack = await mcs.ping("6100000000000000002");
    expect(ack.lastStreamIdReceived).toBe(3);
    expect(ack.sentBefore).toBe(3);
  });

  it("replaces a connection that went silent (no ack to its ping), and a push sent afterwards arrives", async () => {
    const androidId = "6100000000000000003";
    const { c, next } = client(androidId, { heartbeatMs: 100, ackDeadlineMs: 5_000 });
    const states: ChannelState[] = [];
    c.on("state", (s: ChannelState) => states.push(s));
    await c.connect();
    await mcs.waitForLogin(androidId, 1);
    // Its own pings are answered while the connection works.
    while (!c.state().lastHeartbeatAckAt) await once(mcs, "client-ping");

    mcs.dropSilently(androidId);
    await mcs.waitForLogin(androidId, 2);
    while (c.state().down) await once(c, "state");
    expect(states.map((s) => s.down?.reason ?? "up")).toEqual(["up", "no heartbeat ack", "up"]);
    expect(c.state()).toMatchObject({ down: null, reconnects: 1 });

    mcs.deliver(androidId, pairingPush("0:300%after-drop", STEAM_ID));
    expect((await next()).persistentId).toBe("0:300%after-drop");
  });

  it("reports refused credentials at check-in, and keeps retrying", async () => {
    const { c } = client("6100000000000000004", { securityToken: "999" });
    const refused = once(c, "refused");
    await c.connect();
    const [error] = (await refused) as [Error];
    expect(error.message).toContain("check-in refused (HTTP 403)");
    expect(c.state().down?.reason).toContain("check-in failed");
  });

  it("reports a refused login and drops that connection to try again later", async () => {
    const { c } = client("6100000000000000005", { refuseLogin: true });
    const refused = once(c, "refused");
    await c.connect();
    const [error] = (await refused) as [Error];
    expect(error.message).toBe("Google refused the login (error 401)");
    expect(c.state()).toMatchObject({ connectedSince: null, down: { reason: "login refused (error 401)" } });
  });

  it("does not log in to a server whose certificate it does not trust", async () => {
    mcs.addDevice("6100000000000000006", "1234567890123456789");
    const { host, port } = mcs.clientOptions();
    // No check-in here (its endpoint has the same certificate): this is about the MCS connection.
    const c = new (class extends McsClient {
      override _checkIn() {
        return Promise.resolve({});
      }
    })("6100000000000000006", "1234567890123456789", [], { host, port });
    clients.push(c);
    const down = once(c, "state");
    await c.connect();
    const [state] = (await down) as [ChannelState];
    expect(state.down?.reason).toMatch(/^connection failed: self[- ]signed certificate/);
    expect(mcs.logins("6100000000000000006")).toBe(0);
  });

  it("a frame it cannot read: reports the channel down with why, reconnects, and a push sent afterwards arrives", async () => {
    const androidId = "6100000000000000008";
    const { c, next } = client(androidId);
    await c.connect();
    await mcs.waitForLogin(androidId, 1);
    while (c.state().connectedSince === null) await once(c, "state");
    const down = once(c, "state");
    mcs.sendRaw(androidId, Buffer.from([100, 0])); // tag 100, empty: no such MCS message
    const [state] = (await down) as [ChannelState];
    expect(state.down?.reason).toBe("unreadable frame: Unknown tag");
    await mcs.waitForLogin(androidId, 2);
    mcs.deliver(androidId, pairingPush("0:800%after-garbage", STEAM_ID));
    expect((await next()).persistentId).toBe("0:800%after-garbage");
    expect(c.state()).toMatchObject({ down: null, reconnects: 1 });
  });

  it("reconnects at once when Google closes the stream", async () => {
    const androidId = "6100000000000000007";
    const { c, next } = client(androidId);
    await c.connect();
    await mcs.waitForLogin(androidId, 1);
    mcs.closeStream(androidId);
    await mcs.waitForLogin(androidId, 2);
    mcs.deliver(androidId, pairingPush("0:700%after-close", STEAM_ID));
    expect((await next()).persistentId).toBe("0:700%after-close");
    expect(c.state()).toMatchObject({ down: null, reconnects: 1 });
  });
});
