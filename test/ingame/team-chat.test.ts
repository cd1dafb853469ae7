// The team chat bridge between the game and the owner's #team-chat, both ways, through the real discord.js
// client on the fake Discord and rustplus.js on the fake Rust server: neutralised text, no echoes, 128-character
// messages, and a member told when the game would not take a message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { say, startHarness, teamChatPosts, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** A member writes in #team-chat; resolves when the first team message it became has come back from the game. */
async function write(content: string, first: (text: string) => boolean): Promise<string[]> {
  const start = h.game.world.chat.length;
  h.fake.postUserMessage({ channelId: h.teamChatChannel, user: h.player, content });
  await h.heard.next((m) => m.steamId === h.alice && first(m.text));
  await h.bot.ingame.settled();
  return h.game.world.chat.slice(start).map((m) => m.message);
}

describe("from the game to Discord", () => {
  it("posts a teammate's line with author and time, without markdown or mentions", async () => {
    await say(h, h.bob, "raid at **G7** @everyone <@123456789012345678>");
    const posts = await teamChatPosts(h);
    expect(posts).toEqual([
      { author: "Bob", text: "raid at \\*\\*G7\\*\\* @\u200beveryone <@\u200b123456789012345678>", at: new Date(Math.floor(h.clock.now / 1000) * 1000).toISOString() },
    ]);
  });

  it("relays a line holding U+0000 and other control characters, without them (PostgreSQL cannot store a NUL)", async () => {
    const before = (await teamChatPosts(h)).length;
    await say(h, h.bob, "gg\u0000 wp\u0007 \u0000");
    const posts = await teamChatPosts(h);
    expect(posts.slice(before).map((p) => `${p.author}: ${p.text}`)).toEqual(["Bob: gg wp"]);
  });
});

describe("from Discord to the game", () => {
  it("sends a member's message as 'Name: text', and neither side echoes it back", async () => {
    const before = (await teamChatPosts(h)).length;
    const inGame = await write(`on my way <@${h.player.id}> <:pog:112233445566778899>\nbring ammo`, (t) => t.startsWith("alice_dc: on my way"));
    expect(inGame).toEqual(["alice_dc: on my way @alice_dc :pog: bring ammo"]);
    // The game echoed it to the bot's player: that echo is not posted to Discord. A later line is, alone.
    await say(h, h.bob, "ok");
    const posts = await teamChatPosts(h);
    expect(posts.slice(before).map((p) => `${p.author}: ${p.text}`)).toEqual(["Bob: ok"]);
  });

  it("splits a long message into team messages of at most 128 characters", async () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`);
    const inGame = await write(words.join(" "), (t) => t.startsWith("alice_dc: word0 "));
    expect(inGame.length).toBe(4);
    for (const line of inGame) {
      expect(line.length).toBeLessThanOrEqual(128);
      expect(line.startsWith("alice_dc: ")).toBe(true);
    }
    expect(inGame.map((line) => line.slice("alice_dc: ".length)).join(" ")).toBe(words.join(" "));
    // No part came back to Discord.
    expect((await teamChatPosts(h)).some((p) => p.text?.includes("word0"))).toBe(false);
  });

  it("never splits an emoji with its skin tone across two team messages", async () => {
    // 10 characters of prefix + 115 letters leave 3 units: 👍 fits, its skin tone 🏽 would not.
    const text = `${"x".repeat(115)}👍🏽${"y".repeat(20)}`;
    const inGame = await write(text, (t) => t.startsWith("alice_dc: xxx"));
    expect(inGame).toEqual([`alice_dc: ${"x".repeat(115)}`, `alice_dc: 👍🏽${"y".repeat(20)}`]);
  });

  it("tells the channel when the game does not take the message (not in a team)", async () => {
    const team = h.game.world.team;
    h.game.setTeam(null);
    const reply = h.fake.waitForCall((c) => c.method === "POST" && c.path === `/channels/${h.teamChatChannel}/messages` && JSON.stringify(c.body).includes("not in a team"));
    h.fake.postUserMessage({ channelId: h.teamChatChannel, user: h.player, content: "anyone there?" });
    const call = await reply;
    expect((call.body as { content: string }).content).toBe("Not sent to Rustopia: the bot's player is not in a team there.");
    expect(h.game.world.chat.some((m) => m.message.includes("anyone there?"))).toBe(false);
    h.game.setTeam(team);
    // The bot's own reply (and its bridged posts) never go into the game: the next member line arrives alone.
    const inGame = await write("back again", (t) => t.startsWith("alice_dc: back again"));
    expect(inGame).toEqual(["alice_dc: back again"]);
    expect(h.game.world.chat.filter((m) => m.message.startsWith("Fake Bot"))).toEqual([]);
  });

  it("cuts a very long message at four team messages and says so", async () => {
    const reply = h.fake.waitForCall((c) => c.method === "POST" && c.path === `/channels/${h.teamChatChannel}/messages` && JSON.stringify(c.body).includes("reached the game"));
    const inGame = await write("lorem ipsum ".repeat(150), (t) => t.startsWith("alice_dc: lorem"));
    expect(inGame).toHaveLength(4);
    expect(inGame.every((line) => line.length <= 128)).toBe(true);
    expect(inGame[3]).toMatch(/…$/);
    expect((await reply).body).toMatchObject({ content: "Only the first 512 characters or so reached the game." });
  });
});
