// Commands, components, autocomplete and errors through the real discord.js client and the fake Discord.
import { ApplicationCommandOptionType, ApplicationCommandType, InteractionResponseType, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands, components } from "../../commands/index.ts";
import type { SlashCommand } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

// Test-only commands: one that waits for the test to let it finish (to see the defer), one that fails,
// and one with autocomplete.
let release!: () => void;
const gate = new Promise<void>((resolve) => (release = resolve));
const slow: SlashCommand = {
  data: { name: "slow", description: "waits", type: ApplicationCommandType.ChatInput },
  ephemeral: false,
  async execute() {
    await gate;
    return { content: "finally done" };
  },
};
const broken: SlashCommand = {
  data: { name: "broken", description: "fails", type: ApplicationCommandType.ChatInput },
  async execute() {
    throw new Error("database on fire");
  },
};
const picky: SlashCommand = {
  data: {
    name: "picky",
    description: "autocompletes",
    type: ApplicationCommandType.ChatInput,
    options: [{ type: ApplicationCommandOptionType.String, name: "fruit", description: "a fruit", autocomplete: true }],
  },
  async execute() {
    throw new UserError("Pick a fruit from the list.");
  },
  async autocomplete(_i, focused) {
    return ["apple", "apricot", "banana"].filter((f) => f.startsWith(focused.value)).map((f) => ({ name: f, value: f }));
  },
};

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Rust Clan" }).id;
  bot = await startTestBot(fake, { commands: [...commands, slow, broken, picky], components, deferAfterMs: 50 });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("interactions", () => {
  it("answers a slash command", async () => {
    const handle = await fake.sendCommand({ guildId, name: "ping" });
    const reply = await handle.reply();
    expect(reply.content).toMatch(/^Pong — shard 0/);
    expect(reply.ephemeral).toBe(true);
  });

  it("defers a slow command, then edits the answer in", async () => {
    const handle = await fake.sendCommand({ guildId, name: "slow" });
    expect((await handle.response).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    release();
    expect((await handle.reply()).content).toBe("finally done");
  });

  it("answers an unexpected failure with a reference that is in the log", async () => {
    const handle = await fake.sendCommand({ guildId, name: "broken" });
    const reply = await handle.reply();
    const ref = /reference `([0-9a-f]{8})`/.exec(String(reply.content))?.[1];
    expect(ref).toBeDefined();
    expect(reply.ephemeral).toBe(true);
    expect(bot.logs.find((l) => l["ref"] === ref)).toMatchObject({ msg: "interaction failed", command: "broken" });
    expect(JSON.stringify(reply)).not.toContain("database on fire");
  });

  it("answers a user mistake privately and plainly", async () => {
    const reply = await (await fake.sendCommand({ guildId, name: "picky", options: { fruit: "kiwi" } })).reply();
    expect(reply).toMatchObject({ content: "Pick a fruit from the list.", ephemeral: true });
  });

  it("routes autocomplete by command and focused option", async () => {
    expect(await fake.autocomplete({ guildId, name: "picky", options: { fruit: "ap" }, focused: "fruit" })).toEqual([
      { name: "apple", value: "apple" },
      { name: "apricot", value: "apricot" },
    ]);
  });

  it("lists in /help only what the member may run, and says whether they are linked", async () => {
    const player = fake.createUser({ username: "player" });
    const plain = await (await fake.sendCommand({ guildId, name: "help", user: player, memberPermissions: PermissionFlagsBits.SendMessages })).reply();
    const text = JSON.stringify(plain.embeds);
    expect(text).toContain("/ping");
    // /setup run, families and remove need Manage Server; use-here is every member's.
    expect(text).not.toContain("/setup run");
    expect(text).toContain("/setup use-here");
    expect(text).toContain("not linked");

    await linkUser(bot.db.prisma, player.id);
    const admin = await (await fake.sendCommand({ guildId, name: "help", user: player, memberPermissions: PermissionFlagsBits.ManageGuild })).reply();
    expect(JSON.stringify(admin.embeds)).toContain("/setup run");
    expect(JSON.stringify(admin.embeds)).toContain("is linked");
  });

  it("tells an unlinked user to /link before /setup use-here (the guild's /setup run needs no Steam: team-day.test.ts)", async () => {
    const stranger = fake.createUser({ username: "stranger" });
    const reply = await (await fake.sendCommand({ guildId, name: "setup", subcommand: "use-here", user: stranger, memberPermissions: PermissionFlagsBits.SendMessages })).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain("Run `/link`");
    expect(fake.channels(guildId)).toHaveLength(0);
  });

  it("validates option combinations with a plain answer", async () => {
    const user = fake.createUser();
    await linkUser(bot.db.prisma, user.id);
    const reply = await (
      await fake.sendCommand({ guildId, name: "setup", subcommand: "families", options: { family: "SHOP" }, user, memberPermissions: PermissionFlagsBits.ManageGuild })
    ).reply();
    expect(reply).toMatchObject({ ephemeral: true, content: "Give both a family and on/off, or neither to see the panel." });
  });

  it("answers a button whose prefix no longer exists", async () => {
    const reply = await (await fake.clickButton({ guildId, customId: "gone:1" })).reply();
    expect(reply.content).toContain("no longer works");
  });

  it("gets an interaction sent while its connection was down, replayed on RESUME", async () => {
    const identifies = fake.identifies.length;
    await fake.dropConnection(0);
    const handle = await fake.sendCommand({ guildId, name: "ping" });
    await fake.waitForResume(0);
    expect((await handle.reply()).content).toMatch(/^Pong/);
    expect(fake.identifies.length).toBe(identifies);
  });
});
