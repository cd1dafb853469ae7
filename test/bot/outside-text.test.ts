// Real inputs are long and strange: 150-character server names with emoji, alarm titles and messages as
// long as the player typed, a message of only spaces. Each is kept (the pairing commits) and posted, cut to
// Discord's limits at a character boundary, through the real listener, notifier and discord.js against a
// fake Discord that answers 400 Invalid Form Body past Discord's limits, as Discord does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let player: ReturnType<FakeDiscord["createUser"]>;
let userId: string;
let steamId: string;
const ANDROID_ID = "4444444444444444441";
const IP = "198.51.100.23";

// A real-shaped hostname: tags, pipes, emoji, and past 100 characters (here exactly 150).
const LONG_NAME = "[EU] Rusty Moose |Monthly| Vanilla | 2x Gather | No BPs Wipe 🔥 | Solo/Duo/Trio ❤️ | discord.gg/rustymoose | Active Admins 🛡️ | Since 2018 |";
const NAME_150 = LONG_NAME.padEnd(150, "~");
// A ZWJ family emoji (11 UTF-16 units) placed across the 256th unit.
const FAMILY = "👨‍👩‍👧‍👦";
const NAME_300 = `${"A".repeat(250)}${FAMILY}${"B".repeat(39)}`;

let seq = 0;
const push = (channelId: string, title: string, message: string, body: object) => ({
  persistentId: `0:${++seq}%text`,
  appData: [
    { key: "channelId", value: channelId },
    { key: "title", value: title },
    { key: "message", value: message },
    { key: "body", value: JSON.stringify(body) },
  ],
});
const pairing = (name: string, port: number) =>
  push("pairing", name, "Tap to pair with this server.", { img: "", port: String(port), ip: IP, name, id: "a-uuid", type: "server", url: "", desc: "", playerId: steamId, playerToken: "-1234567890" });
const alarm = (title: string, message: string) => push("alarm", title, message, { ip: IP, port: "28015", name: NAME_150 });
const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
const lastEmbed = (name: string) => fake.messages(channel(name)).at(-1)?.embeds[0];

async function settle() {
  await bot.pushes.drained();
  await bot.notifier.idle();
}

/** No lone surrogate, and no emoji part without the rest of its cluster (a ZWJ or modifier at an edge). */
const wellFormed = (s: string) => !/\p{Cs}/u.test(s) && !/^[\u200d\u{1f3fb}-\u{1f3ff}\ufe0f]|\u200d$/u.test(s);

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Long Names" }).id;
  bot = await startTestBot(fake);
  player = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  userId = user.id;
  steamId = user.steamId;
  await setUpAndListen(fake, bot, { guildId, player, steamId, androidId: ANDROID_ID });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("long and strange text from the game", () => {
  it("keeps a pairing whose server name is 150 characters, and posts it", async () => {
    bot.pushFeed.deliver(ANDROID_ID, pairing(NAME_150, 28015));
    await settle();
    const server = await bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { userId_ip_port: { userId, ip: IP, port: 28015 } } });
    expect(server.serverName).toBe(NAME_150);
    const embed = lastEmbed("server-status")!;
    expect(embed.description).toContain("Paired with [EU] Rusty Moose");
    expect(embed.footer!.text.length).toBeLessThanOrEqual(2048);
  });

  it("cuts a 300-character server name at a character boundary: the ZWJ family emoji is whole or gone", async () => {
    bot.pushFeed.deliver(ANDROID_ID, pairing(NAME_300, 28016));
    await settle();
    const server = await bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { userId_ip_port: { userId, ip: IP, port: 28016 } } });
    expect(server.serverName.length).toBeLessThanOrEqual(256);
    expect(server.serverName).toBe(`${"A".repeat(250)}…`); // the emoji would end past 256: dropped whole
    expect(wellFormed(server.serverName)).toBe(true);
    // Its notification reached Discord too.
    expect(fake.messages(channel("server-status")).some((m) => m.embeds[0]?.description?.includes("A".repeat(200)))).toBe(true);
  });

  it("posts an alarm with a 300-character title and a 2,000-character message", async () => {
    const title = `Front door 🚪 ${"motion near the garage ".repeat(13)}`.slice(0, 300);
    const message = "Something moved at the front door of the main base. ".repeat(40).slice(0, 2000);
    bot.pushFeed.deliver(ANDROID_ID, alarm(title, message));
    await settle();
    const embed = lastEmbed("alarms-and-raids")!;
    expect(embed.title!.startsWith("🚨 Front door 🚪 motion near the garage")).toBe(true);
    expect(embed.title!.length).toBeLessThanOrEqual(256);
    expect(embed.title!.endsWith("…")).toBe(true);
    expect(embed.description).toBe(message.trim());
  });

  it("posts an alarm whose message is only spaces, without a description", async () => {
    bot.pushFeed.deliver(ANDROID_ID, alarm("Tool cupboard", "      "));
    await settle();
    const embed = lastEmbed("alarms-and-raids")!;
    expect(embed.title).toBe("🚨 Tool cupboard");
    expect(embed.description).toBeUndefined();
  });

  it("trims /server list with 25 long-named servers to Discord's 2,000 characters, saying how many are left out", async () => {
    // 23 more pairings (25 in all), each name 140 characters and more.
    for (let i = 0; i < 23; i++) bot.pushFeed.deliver(ANDROID_ID, pairing(`${NAME_150.slice(0, 140)} #${i + 1}`, 29000 + i));
    await settle();
    expect(await bot.db.prisma.pairedServer.count({ where: { userId } })).toBe(25);
    const reply = await fake.sendCommand({ guildId, name: "server", subcommand: "list", user: player }).then((h) => h.reply());
    expect(reply.content.length).toBeLessThanOrEqual(2000);
    expect(reply.content).not.toContain("Something went wrong");
    expect(reply.content).toMatch(/… and \d+ more \(see one with `\/server info`\)/);
    expect(reply.content).toContain("Live: 0 of 1");
    const listed = reply.content.split("\n").filter((l) => l.startsWith("⚪"));
    expect(listed.length + Number(/and (\d+) more/.exec(reply.content)![1])).toBe(25);
  });

  it("answers server autocomplete with 25 choices of at most 100 characters, emoji whole", async () => {
    const choices = await fake.autocomplete({ guildId, name: "server", subcommand: "info", user: player, options: { server: "" }, focused: "server" });
    expect(choices).toHaveLength(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(wellFormed(c.name)).toBe(true);
    }
  });
});
