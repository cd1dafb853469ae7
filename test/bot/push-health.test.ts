// "Pushes stopped" warnings in the fake Discord: a failed or long-down channel, and silence despite live
// servers. One message per episode; a push arriving starts a new one. Checks run with an explicit clock.
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNEL_DOWN_WARN_MS, SILENCE_WARN_MS, warnStoppedPushes } from "../../src/rustplus/push-health.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { createServer } from "../helpers/fixtures.ts";
import { fcmConfig, pairingPush } from "../helpers/fcm-config.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

const TITLE = "Rust+ pushes are not arriving";

let fake: FakeDiscord;
let bot: TestBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  bot = await startTestBot(fake);
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

/** A linked player with /setup done in their own guild and credentials added through /credentials add. */
async function playerWithCredentials(androidId: string) {
  const guildId = fake.createGuild({ name: `Health ${androidId}` }).id;
  const discordUser = fake.createUser();
  const user = await linkUser(bot.db.prisma, discordUser.id);
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: discordUser, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  const paste = JSON.stringify(fcmConfig(user.steamId, { androidId }));
  const fields = { paste, androidId: "", securityToken: "", steamId: "", expiresAt: "" };
  await fake.submitModal({ guildId, customId: "credentials", user: discordUser, fields }).then((h) => h.reply());
  await bot.pushFeed.started(androidId);
  const warnings = async () => {
    await bot.notifier.idle();
    const status = fake.channels(guildId).find((c) => c.name === "server-status")!.id;
    return fake.messages(status).flatMap((m) => m.embeds).filter((e) => e.title === TITLE);
  };
  return { user, source: () => bot.pushFeed.running.get(androidId)!, warnings };
}

const later = (ms: number) => new Date(Date.now() + ms);
const check = (now = new Date()) => warnStoppedPushes(bot.db.prisma, bot.notifier, bot.pushes.channels(), now);

describe("pushes stopped", () => {
  it("warns once when the push channel fails, and again only after pushes came back and stopped again", async () => {
    const { user, source, warnings } = await playerWithCredentials("3000000001");
    source().onStatus("connected");
    expect(await check(later(CHANNEL_DOWN_WARN_MS * 5))).toBe(0);

    source().onError(new Error("check-in rejected"));
    expect(await check()).toBe(1);
    expect(await check()).toBe(0);
    const [warning, ...more] = await warnings();
    expect(more).toEqual([]);
    expect(warning?.description).toContain("cannot keep a connection to Google's push service");

    // A push: the channel works again, and the episode is over.
    bot.pushFeed.deliver("3000000001", pairingPush("0:1%health", user.steamId));
    await bot.pushes.drained();
    expect(await check(later(CHANNEL_DOWN_WARN_MS * 5))).toBe(0);

    // Down, then up again within the hour: nothing. Down for over an hour: a new warning.
    source().onStatus("disconnected");
    expect(await check(later(CHANNEL_DOWN_WARN_MS - 60_000))).toBe(0);
    source().onStatus("connected");
    expect(await check(later(CHANNEL_DOWN_WARN_MS * 2))).toBe(0);
    source().onStatus("disconnected");
    expect(await check(later(CHANNEL_DOWN_WARN_MS + 60_000))).toBe(1);
    expect(await check(later(CHANNEL_DOWN_WARN_MS * 3))).toBe(0);
    expect(await warnings()).toHaveLength(2);
  });

  it("warns once when no push came for days although the player has live servers", async () => {
    const quiet = await playerWithCredentials("3000000002");
    const idle = await playerWithCredentials("3000000003");
    quiet.source().onStatus("connected");
    idle.source().onStatus("connected");
    await bot.db.prisma.pairedServer.update({ where: { id: (await createServer(bot.db.prisma, quiet.user.id)).id }, data: { live: true } });
    await createServer(bot.db.prisma, idle.user.id); // paired, but not live

    expect(await check(later(SILENCE_WARN_MS - 3_600_000))).toBe(0);
    const inFourDays = later(SILENCE_WARN_MS + 86_400_000);
    expect(await check(inFourDays)).toBe(1);
    expect(await check(inFourDays)).toBe(0);
    const [warning, ...more] = await quiet.warnings();
    expect(more).toEqual([]);
    expect(warning?.description).toContain("No Rust+ push has reached the bot for over three days");
    expect(await idle.warnings()).toEqual([]);
  });
});
