// Death pushes as the game sends them (research/rustplus.md; rustplusplus src/util/FcmListener.js playerDeath):
// body.name is the SERVER's name, targetId the killer's Steam id or "" when no player killed, and the words to
// show are the push title. Each posts once to #deaths-and-logins as the death of the credentials' owner.
import type { APIEmbed } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";

const ANDROID_ID = "4444444444444444477";
const SERVER_NAME = "[EU] Rustopia Main | Monthly | Vanilla";
const KILLER = "76561198012345678";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let pushes = 0;

/** A `player` push: appData as FCM delivers it, the body a JSON string of strings. */
const death = (title: string, target: Record<string, string>) => ({
  persistentId: `0:${++pushes}%death`,
  appData: [
    { key: "experienceId", value: "@facepunch/RustCompanion" },
    { key: "scopeKey", value: "@facepunch/RustCompanion" },
    { key: "channelId", value: "player" },
    { key: "title", value: title },
    { key: "message", value: "" },
    { key: "body", value: JSON.stringify({ img: "", port: "28015", ip: "203.0.113.9", name: SERVER_NAME, id: "9f1c2d3e-aaaa-bbbb-cccc-0123456789ab", type: "death", url: "", desc: "", ...target }) },
  ],
});

async function deliver(push: unknown): Promise<APIEmbed[]> {
  const channel = fake.channels(guildId).find((c) => c.name === "deaths-and-logins")!.id;
  const before = fake.messages(channel).length;
  bot.pushFeed.deliver(ANDROID_ID, push);
  await bot.pushes.drained();
  await bot.notifier.idle();
  return fake.messages(channel).slice(before).flatMap((m) => m.embeds);
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Deaths" }).id;
  bot = await startTestBot(fake);
  const player = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  await bot.db.prisma.user.update({ where: { id: user.id }, data: { displayName: "Alice" } });
  await setUpAndListen(fake, bot, { guildId, player, steamId: user.steamId, androidId: ANDROID_ID });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("death pushes", () => {
  it("posts a PvP death as the owner's, with the push's words and the killer's profile", async () => {
    const embeds = await deliver(death("You were killed by Bob", { targetId: KILLER }));
    expect(embeds).toMatchObject([
      { title: "💀 Alice died", description: `You were killed by Bob\nKiller: [${KILLER}](https://steamcommunity.com/profiles/${KILLER})`, footer: { text: SERVER_NAME } },
    ]);
  });

  it("posts a death to an NPC (targetId empty) instead of dropping it as malformed", async () => {
    const embeds = await deliver(death("You were killed by a Scientist", { targetId: "" }));
    expect(embeds).toMatchObject([{ title: "💀 Alice died", description: "You were killed by a Scientist", footer: { text: SERVER_NAME } }]);
    expect(bot.logs.filter((l) => l["msg"] === "dropped a push")).toEqual([]);
  });

  it("survives a fall with no targetId and no title, and killer ids that are not Steam ids", async () => {
    expect(await deliver(death("", {}))).toMatchObject([{ title: "💀 Alice died", description: "You died." }]);
    expect(await deliver(death("You were killed by a Bear", { targetId: "0" }))).toMatchObject([{ title: "💀 Alice died", description: "You were killed by a Bear" }]);
    expect(await deliver(death("You were killed by an Auto Turret", { targetId: "12345" }))).toMatchObject([{ title: "💀 Alice died", description: "You were killed by an Auto Turret" }]);
  });
});
