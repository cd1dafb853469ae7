// /link, /unlink, /account, /admin beta and /share through the real client and the fake Discord.
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/identity/one-time-tokens.ts";
import { serverAccess } from "../../src/sharing/server-access.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer, steamId } from "../helpers/fixtures.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
const ADMIN = "76561190000000001";

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Accounts" }).id;
  bot = await startTestBot(fake, { env: { PUBLIC_BASE_URL: "https://bot.example", ADMIN_STEAM_IDS: ADMIN, STRIPE_SECRET_KEY: "sk_test_hosted", TIER_LIMITS: '{"SCOUT":{"guestsPerServer":1}}' } });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

const run = async (init: Parameters<FakeDiscord["sendCommand"]>[0]) => (await fake.sendCommand(init)).reply();

describe("account commands", () => {
  it("/link hands out a private one-time URL on the public base URL, stored only as a hash", async () => {
    const user = fake.createUser();
    const reply = await run({ guildId, name: "link", user });
    expect(reply.ephemeral).toBe(true);
    const url = /"url":"(https:\/\/bot\.example\/auth\/link\/([A-Za-z0-9_-]+))"/.exec(JSON.stringify(reply.components));
    expect(url).not.toBeNull();
    const token = url![2]!;
    const row = await bot.db.prisma.oneTimeToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(row).toMatchObject({ purpose: "LINK_DISCORD", subject: user.id });
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    expect(JSON.stringify(await bot.db.prisma.oneTimeToken.findMany())).not.toContain(token);
  });

  it("/account shows tier, usage and credits; /unlink detaches", async () => {
    const user = fake.createUser();
    const row = await linkUser(bot.db.prisma, user.id);
    await bot.db.prisma.credit.create({ data: { userId: row.id, balance: 42 } });
    const account = JSON.stringify((await run({ guildId, name: "account", user })).embeds);
    expect(account).toContain("SCOUT (free tier)");
    expect(account).toContain(row.steamId);
    expect(account).toContain('"value":"42"');
    expect(account).toContain("paired servers live at once: 0 of 1");

    expect((await run({ guildId, name: "unlink", user })).content).toContain("Unlinked");
    expect((await run({ guildId, name: "account", user })).content).toContain("Run `/link`");
  });

  it("/admin beta is refused to non-operators and audited for operators", async () => {
    const player = fake.createUser();
    await linkUser(bot.db.prisma, player.id);
    const target = steamId();
    const refused = await run({ guildId, name: "admin", subcommand: "beta grant", options: { steam_id: target, tier: "OVERLORD" }, user: player, memberPermissions: PermissionFlagsBits.Administrator });
    expect(refused.content).toBe("This command is for the bot's operators.");
    expect(await bot.db.prisma.betaTester.count({ where: { steamId: target } })).toBe(0);

    const operator = fake.createUser();
    await bot.db.prisma.user.create({ data: { steamId: ADMIN, displayName: "op", accounts: { create: { provider: "discord", providerAccountId: operator.id } } } });
    const granted = await run({ guildId, name: "admin", subcommand: "beta grant", options: { steam_id: target, tier: "OVERLORD", days: 30, note: "tester" }, user: operator, memberPermissions: PermissionFlagsBits.Administrator });
    expect(granted.content).toContain(`${target} has OVERLORD until`);
    await run({ guildId, name: "admin", subcommand: "beta revoke", options: { steam_id: target }, user: operator, memberPermissions: PermissionFlagsBits.Administrator });
    const audits = await bot.db.prisma.adminAudit.findMany({ where: { target }, orderBy: { createdAt: "asc" } });
    expect(audits.map((a) => [a.action, a.actorSteamId, a.result])).toEqual([["beta.grant", ADMIN, "granted"], ["beta.revoke", ADMIN, "revoked"]]);
    const bad = await run({ guildId, name: "admin", subcommand: "beta revoke", options: { steam_id: "12345678901234567" }, user: operator, memberPermissions: PermissionFlagsBits.Administrator });
    expect(bad.content).toContain("not a 17-digit Steam id");
  });

  it("/share lets a guest act on the owner's server; a stranger cannot; a revoked guest cannot", async () => {
    const ownerDiscord = fake.createUser();
    const owner = await linkUser(bot.db.prisma, ownerDiscord.id);
    const server = await createServer(bot.db.prisma, owner.id);
    const guestDiscord = fake.createUser();
    const guest = await linkUser(bot.db.prisma, guestDiscord.id);
    const stranger = await linkUser(bot.db.prisma, fake.createUser().id);

    expect(await fake.autocomplete({ guildId, name: "share", subcommand: "add", user: ownerDiscord, options: { server: "" }, focused: "server" })).toEqual([
      { name: server.serverName, value: server.id },
    ]);
    const added = await run({ guildId, name: "share", subcommand: "add", options: { server: server.id, user: guestDiscord.id }, user: ownerDiscord });
    expect(added.content).toContain("they can now use this server");
    expect((await serverAccess(bot.db.prisma, guest, server.id)).role).toBe("guest");
    await expect(serverAccess(bot.db.prisma, stranger, server.id)).rejects.toThrow("You have no paired server yet");

    // Over the owner's guest limit (1 on this bot's SCOUT tier): refused with the tier's allowance.
    const second = await run({ guildId, name: "share", subcommand: "add", options: { server: server.id, steam_id: steamId() }, user: ownerDiscord });
    expect(second.content).toContain("Your SCOUT tier allows 1 guests per paired server");

    // A guest cannot share someone else's server.
    const byGuest = await run({ guildId, name: "share", subcommand: "add", options: { server: server.id, steam_id: steamId() }, user: guestDiscord });
    expect(byGuest.content).toContain("was shared with you, so only the player who paired it can share it.");

    expect((await run({ guildId, name: "share", subcommand: "list", options: { server: server.id }, user: ownerDiscord })).content).toContain(guest.steamId);
    await run({ guildId, name: "share", subcommand: "revoke", options: { server: server.id, steam_id: guest.steamId }, user: ownerDiscord });
    await expect(serverAccess(bot.db.prisma, guest, server.id)).rejects.toThrow("You have no paired server yet");
  });
});
