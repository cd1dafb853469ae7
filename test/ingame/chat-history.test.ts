// Team chat said while the bot could not hear it (a dropped socket, a bot restart, a game server restart) reaches
// #team-chat after the bot is back, in order and once, through rustplus.js on the fake Rust server (which keeps the
// game's 20-line, memory-only history) and discord.js on the fake Discord.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { say, startHarness, teamChatPosts, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** A teammate types while the bot cannot hear: the line is only in the game's history. */
function sayAway(from: string, text: string, options: { sameSecond?: boolean } = {}): void {
  if (!options.sameSecond) h.clock.now += 60_000;
  h.game.postTeamMessage(from, text);
}

/** Resolves at the next connect of the server by the bot running now. */
function reconnected(): Promise<void> {
  return new Promise((resolve) => h.bot.ctx.rust.on("state", (id, state) => id === h.serverId && state.kind === "connected" && resolve()));
}

/** Resolves once the bot running now is connected to the server (it may be already). */
function connectedNow(): Promise<void> {
  return h.bot.ctx.rust.status(h.serverId)?.state.kind === "connected" ? Promise.resolve() : reconnected();
}

/** #team-chat posts as "Author: text", from index `from` on. */
async function postsSince(from: number): Promise<string[]> {
  return (await teamChatPosts(h)).slice(from).map((p) => `${p.author}: ${p.text}`);
}

describe("team chat said while the bot was away", () => {
  it("posts the lines said during a socket drop after the reconnect, in order, once, without running commands", async () => {
    await say(h, h.bob, "going to farm");
    // The bot says something in game: its echo is not posted, now or from the history later.
    const echoed = h.heard.next((m) => m.steamId === h.alice && m.text === "alice_dc: brb");
    h.fake.postUserMessage({ channelId: h.teamChatChannel, user: h.player, content: "brb" });
    await echoed;
    const before = (await teamChatPosts(h)).length;
    const chatBefore = h.game.world.chat.length;

    const back = reconnected();
    await h.game.networkOutage(() => {
      // The same second as the last line bridged: several lines share a second, only the new one is new.
      sayAway(h.bob, "raid at G7", { sameSecond: true });
      sayAway(h.alice, "on my way");
      sayAway(h.bob, "!pop");
      sayAway(h.bob, "hurry", { sameSecond: true });
    });
    await back;
    expect(await postsSince(before)).toEqual(["Bob: raid at G7", "Alice: on my way", "Bob: !pop", "Bob: hurry"]);
    // The command in the history was bridged, not answered minutes late.
    expect(h.game.world.chat.slice(chatBefore).map((m) => m.message)).toEqual(["raid at G7", "on my way", "!pop", "hurry"]);

    // Another drop with nothing said posts nothing: each line once.
    const again = reconnected();
    await h.game.networkOutage(() => undefined);
    await again;
    expect(await postsSince(before)).toHaveLength(4);
  });

  // getInfo: while the new socket proves its token, before it counts as connected; getTeamChat: during the read.
  it.each(["getInfo", "getTeamChat"])("posts a line heard live as the server answers %s after a drop once, after the lines said before it, and answers it", async (when) => {
    const before = (await teamChatPosts(h)).length;
    const back = reconnected();
    await h.game.networkOutage(() => {
      sayAway(h.bob, `said while away (${when})`);
      // Bob speaks as the bot comes back: the line arrives live, and is in the history the bot reads.
      h.game.beforeAnswer = (kind) => {
        if (kind !== when) return;
        h.game.beforeAnswer = undefined;
        h.clock.now += 60_000;
        h.game.postTeamMessage(h.bob, "!pop");
      };
    });
    const heard = h.heard.next((m) => m.steamId === h.bob && m.text === "!pop");
    await back;
    await heard;
    expect(await postsSince(before)).toEqual([`Bob: said while away (${when})`, "Bob: !pop"]);
    expect(h.game.world.chat.at(-1)?.message).toBe("Pop: 87/150, 4 in queue");
  });

  it("reads lines as real servers send them: in any order, without a name", async () => {
    const before = (await teamChatPosts(h)).length;
    const back = reconnected();
    await h.game.networkOutage(() => {
      const t = Math.floor(h.clock.now / 1000);
      h.clock.now += 120_000;
      // Defaults are left off the wire (an empty name, an empty colour); the order is not the time order.
      h.game.world.chatLog.push(
        { steamId: h.bob, name: "", message: "second", color: "", time: t + 120 },
        { steamId: h.bob, name: "Bob", message: "first", color: "#5af", time: t + 60 },
      );
    });
    await back;
    expect(await postsSince(before)).toEqual(["Bob: first", `${h.bob}: second`]);
  });

  it("posts nothing from the history on a server's first read, then what comes after it", async () => {
    // As for a server paired before the bot kept a mark: the history it finds was bridged live, or predates it.
    await h.bot.db.prisma.pairedServer.update({ where: { id: h.serverId }, data: { teamChatMarkTime: null, teamChatMarkLines: [] } });
    const before = (await teamChatPosts(h)).length;
    const first = reconnected();
    await h.game.networkOutage(() => sayAway(h.bob, "old news"));
    await first;
    expect(await postsSince(before)).toEqual([]);

    const second = reconnected();
    await h.game.networkOutage(() => sayAway(h.bob, "fresh news"));
    await second;
    expect(await postsSince(before)).toEqual(["Bob: fresh news"]);
  });

  it("after a game server restart posts what was said since it came back", async () => {
    const before = (await teamChatPosts(h)).length;
    const back = reconnected();
    await h.game.networkOutage(async () => {
      // The restart empties the game's history; the bot reaches the server only after players talked again.
      await h.game.restart();
      expect(h.game.world.chatLog).toEqual([]);
      sayAway(h.bob, "server is back");
      sayAway(h.alice, "wiped?");
    });
    await back;
    expect(await postsSince(before)).toEqual(["Bob: server is back", "Alice: wiped?"]);
  });

  it("posts the lines said during a bot restart once, and nothing said before it again", async () => {
    await say(h, h.bob, "before the restart");
    const before = (await teamChatPosts(h)).length;
    await h.bot.restart(() => {
      sayAway(h.bob, "while the bot restarts");
      sayAway(h.alice, "me too", { sameSecond: true });
    });
    await connectedNow();
    expect(await postsSince(before)).toEqual(["Bob: while the bot restarts", "Alice: me too"]);
  });
});
