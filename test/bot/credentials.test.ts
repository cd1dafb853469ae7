// /credentials through the real client and the fake Discord: the form, validation, encryption at rest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warnExpiringCredentials } from "../../src/rustplus/credential-expiry.ts";
import { openCredentials } from "../../src/rustplus/credentials-store.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot, routeTo } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Creds" }).id;
  bot = await startTestBot(fake);
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

/** The file fcm-register writes, with a Rust+ auth token whose payload names the Steam id and dates. */
function configFile(steamId: string, exp = Math.floor(Date.now() / 1000) + 14 * 86_400) {
  const payload = Buffer.from(JSON.stringify({ steamId, version: 0, iss: Math.floor(Date.now() / 1000), exp })).toString("base64url");
  return JSON.stringify({
    fcm_credentials: { keys: { privateKey: "x", publicKey: "y", authSecret: "z" }, fcm: { token: "t", pushSet: "p" }, gcm: { token: "g", androidId: "5551234567890123456", securityToken: "9876543210987654321", appId: "wp:receiver.push.com#1" } },
    expo_push_token: "ExponentPushToken[abc]",
    rustplus_auth_token: `${payload}.c2lnbmF0dXJl`,
  });
}

const submit = (user: ReturnType<FakeDiscord["createUser"]>, fields: Record<string, string>) =>
  fake.submitModal({ guildId, customId: "credentials", user, fields: { paste: "", androidId: "", securityToken: "", steamId: "", expiresAt: "", ...fields } }).then((h) => h.reply());

describe("/credentials", () => {
  it("takes the pasted config file, stores the secrets encrypted, and reports status", async () => {
    const player = fake.createUser();
    const user = await linkUser(bot.db.prisma, player.id);
    const open = await fake.sendCommand({ guildId, name: "credentials", subcommand: "add", user: player });
    expect((await open.response).type).toBe(9);

    const saved = await submit(player, { paste: configFile(user.steamId) });
    expect(saved.content).toContain(`Saved, encrypted. The bot will receive pairings and alarms for Steam account ${user.steamId}`);
    const row = await bot.db.prisma.fcmCredential.findUniqueOrThrow({ where: { userId: user.id } });
    expect(Buffer.from(row.blobEncrypted).toString("latin1")).not.toContain("9876543210987654321");
    expect(openCredentials(bot.ctx.secrets, row)).toMatchObject({ androidId: "5551234567890123456", securityToken: "9876543210987654321" });
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);

    const status = await (await fake.sendCommand({ guildId, name: "credentials", subcommand: "status", user: player })).reply();
    expect(status.content).toContain(`Steam account: ${user.steamId}`);
    expect(status.content).toContain("Last push received: none yet");
  });

  it("refuses another Steam account's credentials, garbage, expired ones, and half-filled fields, storing nothing", async () => {
    const player = fake.createUser();
    const user = await linkUser(bot.db.prisma, player.id);
    expect((await submit(player, { paste: configFile("76561198999999999") })).content).toContain("belong to Steam account 76561198999999999");
    expect((await submit(player, { paste: "{ not json" })).content).toContain("not the JSON file");
    expect((await submit(player, { paste: configFile(user.steamId, Math.floor(Date.now() / 1000) - 60) })).content).toContain("already expired");
    expect((await submit(player, { androidId: "123456" })).content).toContain("fill in the android id, security token and Steam id");
    expect((await submit(player, { androidId: "12x", securityToken: "123456", steamId: user.steamId })).content).toContain("Android id must be the number");
    expect(await bot.db.prisma.fcmCredential.count({ where: { userId: user.id } })).toBe(0);
  });

  it("takes the fields typed in, and removes them", async () => {
    const player = fake.createUser();
    const user = await linkUser(bot.db.prisma, player.id);
    const reply = await submit(player, { androidId: "123456789", securityToken: "987654321", steamId: user.steamId, expiresAt: "2099-01-31" });
    expect(reply.content).toContain("Saved, encrypted");
    const removed = await (await fake.sendCommand({ guildId, name: "credentials", subcommand: "remove", user: player })).reply();
    expect(removed.content).toContain("deleted");
    expect(await bot.db.prisma.fcmCredential.count({ where: { userId: user.id } })).toBe(0);
  });

  it("warns once, a day before the credentials expire", async () => {
    const player = fake.createUser();
    const user = await linkUser(bot.db.prisma, player.id);
    await routeTo(bot.db.prisma, user.id, { guildId, guildName: "Creds", statusChannelId: "1" });
    await submit(player, { paste: configFile(user.steamId, Math.floor(Date.now() / 1000) + 3 * 86_400) });
    expect(await warnExpiringCredentials(bot.db.prisma, bot.notifier)).toBe(0);
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000 + 3_600_000);
    expect(await warnExpiringCredentials(bot.db.prisma, bot.notifier, inTwoDays)).toBe(1);
    expect(await warnExpiringCredentials(bot.db.prisma, bot.notifier, inTwoDays)).toBe(0);
    const [row] = await bot.db.prisma.notificationOutbox.findMany({ where: { userId: user.id } });
    expect(row?.payload).toMatchObject({ kind: "account", title: "Your Rust+ credentials expire within a day" });
  });
});
