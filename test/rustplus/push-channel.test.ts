// The bot with its real push client (push-receiver's, with heartbeats) against the fake MCS server over TLS:
// a pairing sent through Google's channel appears in Discord, /credentials status shows the channel, and a
// channel that goes silent without closing is noticed by its heartbeat, shown as reconnecting, replaced, and
// the pushes sent afterwards arrive.
import { EventEmitter, once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcsPushSource, type PushSourceFactory } from "../../src/rustplus/push-source.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeMcs } from "../fakes/mcs/index.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";
import { pairingPush } from "../helpers/fcm-config.ts";

const ANDROID_ID = "6200000000000000001";
// setUpAndListen's /credentials form types this security token.
const SECURITY_TOKEN = "5555555555";

let fake: FakeDiscord;
let mcs: FakeMcs;
let bot: TestBot;
let guildId: string;
let player: ReturnType<FakeDiscord["createUser"]>;
let steamId: string;
let userId: string;
/** Every push the bot's source hands to the listener (so a test can wait for one to arrive). */
const arrivals = new EventEmitter();

beforeAll(async () => {
  fake = await FakeDiscord.start();
  mcs = await FakeMcs.start();
  mcs.addDevice(ANDROID_ID, SECURITY_TOKEN);
  // Pings every 100 ms and a 5 s deadline: a silent drop is noticed within seconds, not minutes.
  const real = mcsPushSource({ ...mcs.clientOptions(), heartbeatMs: 100, ackDeadlineMs: 5_000 });
  const pushSource: PushSourceFactory = (init) =>
    real({
      ...init,
      onData: (raw) => {
        init.onData(raw);
        arrivals.emit("push", raw);
      },
    });
  bot = await startTestBot(fake, { pushSource });
  guildId = fake.createGuild({ name: "Channel" }).id;
  player = fake.createUser();
  ({ id: userId, steamId } = await linkUser(bot.db.prisma, player.id));
  await setUpAndListen(fake, bot, { guildId, player, steamId, androidId: ANDROID_ID, listening: mcs.waitForLogin(ANDROID_ID, 1) });
});
afterAll(async () => {
  await bot?.stop();
  await mcs?.close();
  await fake?.close();
});

/** Sends a pairing through the fake MCS server and waits until the bot has handled and posted it. */
async function pairThroughGoogle(persistentId: string, port: string) {
  const arrived = once(arrivals, "push");
  const push = pairingPush(persistentId, steamId);
  const body = JSON.parse(push.appData.find((e) => e.key === "body")!.value) as Record<string, string>;
  push.appData = push.appData.map((e) => (e.key === "body" ? { key: "body", value: JSON.stringify({ ...body, port }) } : e));
  mcs.deliver(ANDROID_ID, push);
  await arrived;
  await bot.pushes.drained();
  await bot.notifier.idle();
}

const statusMessages = () => fake.messages(fake.channels(guildId).find((c) => c.name === "server-status")!.id).map((m) => m.embeds[0]?.description ?? "");
const status = async () => (await (await fake.sendCommand({ guildId, name: "credentials", subcommand: "status", user: player })).reply()).content ?? "";

describe("the push channel to Google", () => {
  it("carries a pairing from the game to Discord, and /credentials status shows it connected", async () => {
    await pairThroughGoogle("0:1000%pair", "28083");
    expect(statusMessages()).toEqual([expect.stringContaining("Paired with Rustopia EU Main (203.0.113.7:28083)")]);
    // The client's own pings have been answered by now (every 100 ms).
    while (!bot.pushes.channelState(userId)?.state?.lastHeartbeatAckAt) await once(mcs, "client-ping");
    expect(await status()).toMatch(/Push channel: connected since <t:\d+:R>, last message from Google <t:\d+:R>, last heartbeat answered <t:\d+:R>; 0 reconnects/);
  });

  it("answers Google's heartbeat ping", async () => {
    const ack = await mcs.ping(ANDROID_ID);
    expect(ack.lastStreamIdReceived).toBe(ack.sentBefore);
  });

  it("notices a connection gone silent, says so while reconnecting, and delivers the pushes sent after", async () => {
    mcs.hold();
    const reconnecting = once(mcs, "held");
    mcs.dropSilently(ANDROID_ID);
    await reconnecting;
    expect(await status()).toMatch(/Push channel: reconnecting \(no heartbeat ack\) since <t:\d+:R>; 0 reconnects so far/);

    mcs.release();
    await mcs.waitForLogin(ANDROID_ID, 2);
    await pairThroughGoogle("0:1001%after-drop", "28090");
    expect(statusMessages()).toEqual([expect.stringContaining("(203.0.113.7:28083)"), expect.stringContaining("Paired with Rustopia EU Main (203.0.113.7:28090)")]);
    expect(await status()).toMatch(/Push channel: connected since <t:\d+:R>, .*; 1 reconnect$/m);
  });
});
