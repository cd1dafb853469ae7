// Two bot processes' REST clients posting through the REST proxy (npm run start:proxy, a child process) to the
// fake Discord, which enforces Discord's global limit (50 requests/s per token): the fleet stays under it with
// no global 429, the lane header never reaches Discord, and an alarm enqueued during a flood of card edits
// in many channels goes out ahead of the edits queued before it.
import { Routes, type APIEmbed } from "discord-api-types/v10";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANE_HEADER } from "../../src/fleet/lanes.ts";
import { upsertLiveMessage } from "../../src/notify/live-message.ts";
import { FakeDiscord, type FakeGuild } from "../fakes/discord/index.ts";
import { linkUser, routeTo, startTestBot, type TestBot } from "../helpers/bot.ts";
import { spawnTs, waitForLine } from "../helpers/spawn.ts";

let fake: FakeDiscord;
let guild: FakeGuild;
let proxy: ChildProcessWithoutNullStreams;
let bots: TestBot[] = [];
let nextGuild = 0n;

/** A user of `bot` with a /setup of their own (a guild id of their own, one real channel per family given). */
async function userWithChannels(bot: TestBot, families: ("status" | "alarms")[]) {
  const discordUser = fake.createUser();
  const user = await linkUser(bot.db.prisma, discordUser.id);
  const channels = Object.fromEntries(families.map((f) => [`${f}ChannelId`, guild.createChannel({ name: `${f}-${nextGuild}` }).id]));
  await routeTo(bot.db.prisma, user.id, { guildId: String(200_000_000_000_000_000n + nextGuild++), guildName: "Fleet", ...channels });
  return { userId: user.id, channels: channels as Record<string, string> };
}
const card = (n: number): APIEmbed => ({ title: "Rustoria EU", description: `Players ${n}/200` });

beforeAll(async () => {
  fake = await FakeDiscord.start({ shardCount: 2 });
  guild = fake.createGuild({ name: "Fleet" });
  proxy = spawnTs("src/fleet/proxy-main.ts", [], { env: { DISCORD_REST_URL: fake.restUrl, DISCORD_PROXY_HOST: "127.0.0.1", DISCORD_PROXY_PORT: "0", LOG_LEVEL: "info" } });
  proxy.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  const line = await waitForLine(proxy, /"url":"http:[^"]+"/);
  const url = /"url":"(http:[^"]+)"/.exec(line)![1]!;
  // Two processes of one fleet: a shard each, both pointed at the proxy.
  for (const shard of [0, 1]) {
    bots.push(await startTestBot(fake, { env: { DISCORD_REST_URL: url, DISCORD_SHARD_COUNT: "2", DISCORD_SHARD_IDS: String(shard) } }));
  }
}, 300_000);
afterAll(async () => {
  for (const bot of bots) await bot.stop();
  bots = [];
  proxy?.kill("SIGTERM");
  await fake?.close();
});

describe("the REST proxy", () => {
  it("keeps two processes together under Discord's global limit: everything posted, no global 429", async () => {
    const channels = bots.map(() => Array.from({ length: 5 }, (_, i) => guild.createChannel({ name: `burst-${i}` }).id));
    const before = fake.calls.length;
    // 150 messages from each process at once, over 5 channels each (the per-channel queues are not the limit).
    await Promise.all(
      bots.flatMap((bot, b) =>
        Array.from({ length: 150 }, (_, i) => bot.client.rest.post(Routes.channelMessages(channels[b]![i % 5]!), { body: { content: `p${b} m${i}` } })),
      ),
    );
    expect(channels.flat().reduce((n, c) => n + fake.messages(c).length, 0)).toBe(300);
    expect(fake.globalRateLimited).toBe(0);
    expect(fake.maxRequestsPerSecond).toBeLessThanOrEqual(50);
    // Everything went through the proxy, which never passes the lane header on.
    expect(fake.calls.slice(before).every((c) => !c.headerNames.includes(LANE_HEADER))).toBe(true);
  }, 60_000);

  it("posts an alarm enqueued during a flood of card edits before the edits queued ahead of it", async () => {
    const a = bots[0]!;
    const CARDS = 60;
    // Each process keeps 60 users' server cards, each in its own status channel.
    const owners = await Promise.all(bots.map((bot) => Promise.all(Array.from({ length: CARDS }, () => userWithChannels(bot, ["status"])))));
    const alarmed = await userWithChannels(a, ["alarms"]);
    const upsert = (bot: TestBot, userId: string, n: number) =>
      upsertLiveMessage(bot.db.prisma, bot.client.rest, bot.ctx.logger, { userId, key: "server:1", family: "STATUS", embed: card(n) });
    await Promise.all(bots.map((bot, i) => Promise.all(owners[i]!.map((o) => upsert(bot, o.userId, 1)))));

    const isEdit = (c: { method: string; status: number }) => c.method === "PATCH" && c.status === 200;
    const editsBefore = fake.calls.filter(isEdit).length;
    const flood = bots.map((bot, i) => Promise.all(owners[i]!.map((o) => upsert(bot, o.userId, 2))));
    // The flood is under way (some edits have reached Discord) when the alarm is enqueued.
    await fake.nextCall((c) => isEdit(c) && fake.calls.filter(isEdit).length - editsBefore >= 10);
    const alarmPosted = fake.nextCall((c) => c.method === "POST" && c.path === `/channels/${alarmed.channels["alarmsChannelId"]}/messages`);
    const editsAtEnqueue = fake.calls.filter(isEdit).length - editsBefore;
    await a.notifier.notify({ userId: alarmed.userId, event: { kind: "alarm", serverName: "Rustoria EU", alarmName: "TC alarm", grid: "G12", at: new Date().toISOString() }, dedupeKey: "flood-alarm" });
    const alarm = await alarmPosted;
    const editsBeforeAlarm = fake.calls.filter(isEdit).length - editsBefore;
    const results = (await Promise.all(flood)).flat();
    expect(results.map((r) => r.outcome)).toEqual(results.map(() => "edited"));
    const edits = fake.calls.filter(isEdit).length - editsBefore;
    expect(alarm.status).toBe(200);
    expect(edits).toBe(2 * CARDS);
    // Queued when the alarm was enqueued: every edit not yet at Discord. Most of them went out after it.
    const queuedAtEnqueue = edits - editsAtEnqueue;
    expect(queuedAtEnqueue).toBeGreaterThan(CARDS);
    expect(edits - editsBeforeAlarm).toBeGreaterThan(queuedAtEnqueue / 2);
    expect(fake.globalRateLimited).toBe(0);
    expect(fake.maxRequestsPerSecond).toBeLessThanOrEqual(50);
  }, 120_000);
});
