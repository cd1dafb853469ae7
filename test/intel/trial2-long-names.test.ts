// A player whose name is over 100 characters (A2S names are kept to 200): Discord's autocomplete values hold 100,
// so the suggestion must carry something shorter, and picking it must reach that player (/player track, info).
import type { APIUser } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer } from "../helpers/fixtures.ts";

const IP = "203.0.113.19";
const APP_PORT = 28_093;
let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let alice: APIUser;
let intelId: string;
const prisma = () => bot.db.prisma;

async function player(user: APIUser, subcommand: string, options: Record<string, OptionValue> = {}) {
  return fake.sendCommand({ guildId, name: "player", subcommand, user, options }).then((h) => h.reply());
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Intel trial 2" }).id;
  // Seeded sessions on a server no team follows live: keep the bot's own poll away for the file.
  bot = await startTestBot(fake, { env: { INTEL_POLL_INTERVAL_MS: "3600000" } });
  alice = fake.createUser({ username: "alice" });
  const owner = await linkUser(prisma(), alice.id);
  await createServer(prisma(), owner.id, { ip: IP, port: APP_PORT });
  intelId = (await prisma().intelServer.create({ data: { ip: IP, appPort: APP_PORT, name: "Longnames", lastPolledAt: new Date(), lastAnsweredAt: new Date() } })).id;
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("a 150-character player name", () => {
  it("is suggested with a value within 100 characters, and picking it tracks that player", async () => {
    const long = `Raider${"x".repeat(140)}TAIL`;
    await prisma().playerSession.create({ data: { intelServerId: intelId, playerName: long, startedAt: new Date(Date.now() - 60_000), lastSeenAt: new Date() } });
    const suggested = await fake.autocomplete({ guildId, name: "player", subcommand: "track", user: alice, options: { player: "Raider" }, focused: "player" });
    expect(suggested).toHaveLength(1);
    const [choice] = suggested;
    expect(choice!.name.length).toBeLessThanOrEqual(100);
    expect(String(choice!.value).length).toBeLessThanOrEqual(100);
    expect((await player(alice, "track", { player: String(choice!.value) })).content).toContain("📌 Tracking **Raider");
    expect(await prisma().playerIntelNote.findFirst({ where: { playerName: long, tracked: true } })).not.toBeNull();
    expect((await player(alice, "info", { player: String(choice!.value) })).content).toContain("online now");
  });
});
