// /watchlist create by a guest of a server (no server of their own): its alerts would go nowhere (alerts are
// for the owners of the paired servers following a Rust server) and `!online <name>` reads the owner's
// watchlists, so saving it and answering "posted in #player-intel" was untrue; it is refused, nothing saved.
// /watchlist show with hundreds online: whole names, then "… and N more".
import type { APIUser } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer } from "../helpers/fixtures.ts";

const IP = "203.0.113.29";
const APP_PORT = 28_095;
let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let alice: APIUser;
let bob: APIUser;
let ownerId: string;
let guestId: string;
const prisma = () => bot.db.prisma;
async function cmd(user: APIUser, name: string, subcommand: string, options: Record<string, OptionValue> = {}) {
  return fake.sendCommand({ guildId, name, subcommand, user, options }).then((h) => h.reply());
}
beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Guest watchlist" }).id;
  // A seeded IntelServer no team polls in this file: keep the bot's own poll away.
  bot = await startTestBot(fake, { env: { INTEL_POLL_INTERVAL_MS: "3600000" } });
  alice = fake.createUser({ username: "alice" });
  bob = fake.createUser({ username: "bob" });
  const owner = await linkUser(prisma(), alice.id);
  ownerId = owner.id;
  guestId = (await linkUser(prisma(), bob.id)).id;
  await createServer(prisma(), owner.id, { ip: IP, port: APP_PORT });
  await prisma().intelServer.create({ data: { ip: IP, appPort: APP_PORT, name: "P", lastPolledAt: new Date(), lastAnsweredAt: new Date() } });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});
describe("/watchlist create by a guest", () => {
  it("is refused with what to do, and saves nothing; the owner's is saved", async () => {
    const owner = await prisma().user.findUniqueOrThrow({ where: { id: ownerId } });
    const guest = await prisma().user.findUniqueOrThrow({ where: { id: guestId } });
    const server = await prisma().pairedServer.findFirstOrThrow({ where: { userId: owner.id } });
    await prisma().dashboardGuestAccess.create({ data: { ownerUserId: owner.id, pairedServerId: server.id, guestSteamId: guest.steamId, guestUserId: guest.id } });
    expect((await cmd(bob, "player", "search")).content).toContain("Online on");
    const reply = (await cmd(bob, "watchlist", "create", { name: "raiders", tags: "raider" })).content;
    expect(reply).toContain("Watchlists watch the servers you paired");
    expect(reply).not.toContain("Saved watchlist");
    expect(await prisma().watchlist.count({ where: { userId: guest.id } })).toBe(0);
    expect((await cmd(alice, "watchlist", "create", { name: "raiders", tags: "raider" })).content).toContain("Saved watchlist **raiders**");
  });
});

describe("/watchlist show with hundreds online", () => {
  it("lists whole names and says how many more, instead of a name cut in half", async () => {
    const intel = await prisma().intelServer.findFirstOrThrow({ where: { ip: IP, appPort: APP_PORT } });
    const since = new Date(Date.now() - 60_000);
    await prisma().playerSession.createMany({ data: Array.from({ length: 300 }, (_, i) => ({ intelServerId: intel.id, playerName: `zerg_member_${String(i).padStart(3, "0")}`, startedAt: since, lastSeenAt: since })) });
    expect((await cmd(alice, "watchlist", "create", { name: "zerg", pattern: "^zerg" })).content).toContain("Saved watchlist **zerg**");
    const reply = (await cmd(alice, "watchlist", "show", { name: "zerg" })).content;
    expect(reply.length).toBeLessThanOrEqual(2000);
    expect(reply).toContain("(300 online)");
    const listed = reply.match(/zerg\\_member\\_\d{3} \S+/g) ?? [];
    expect(listed.length).toBeGreaterThan(10);
    expect(reply).toMatch(new RegExp(`, … and ${300 - listed.length} more$`));
  });
});
