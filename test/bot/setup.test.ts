// /setup through the real client and the fake Discord: create, repair, adopt, permissions, families, remove.
import { ChannelType, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAMILIES, FAMILY_LIST } from "../../src/notify/families.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
const admin = PermissionFlagsBits.ManageGuild;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  bot = await startTestBot(fake);
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

async function linkedAdmin() {
  const user = fake.createUser({ username: "leader" });
  const row = await linkUser(bot.db.prisma, user.id);
  return { user, row };
}

const channelCreates = (guildId: string) => fake.calls.filter((c) => c.method === "POST" && c.path === `/guilds/${guildId}/channels`).length;

describe("/setup", () => {
  it("creates a category and one channel per family, with read-only feeds, and records them", async () => {
    const guild = fake.createGuild({ name: "Clan A" });
    const { user } = await linkedAdmin();
    const reply = await (await fake.sendCommand({ guildId: guild.id, name: "setup", subcommand: "run", user, memberPermissions: admin })).reply();
    expect(JSON.stringify(reply.embeds)).toContain("Notification channels ready");

    const channels = fake.channels(guild.id);
    const category = channels.find((c) => c.type === ChannelType.GuildCategory);
    expect(category?.name).toBe("Rust+");
    const texts = channels.filter((c) => c.type === ChannelType.GuildText);
    expect(texts.map((c) => c.name).sort()).toEqual(FAMILY_LIST.map((f) => FAMILIES[f].channelName).sort());
    expect(texts.every((c) => c.parent_id === category?.id)).toBe(true);

    const feed = texts.find((c) => c.name === "alarms-and-raids")!;
    const everyoneDeny = feed.permission_overwrites?.find((o) => o.id === guild.id)?.deny;
    expect(BigInt(everyoneDeny ?? 0) & PermissionFlagsBits.SendMessages).toBe(PermissionFlagsBits.SendMessages);
    const teamChat = texts.find((c) => c.name === "team-chat")!;
    expect(teamChat.permission_overwrites?.find((o) => o.id === guild.id)).toBeUndefined();

    const integration = await bot.db.prisma.discordIntegration.findUniqueOrThrow({ where: { guildId: guild.id } });
    expect(integration).toMatchObject({ guildId: guild.id, guildName: "Clan A", categoryId: category?.id, alarmsChannelId: feed.id, teamChatChannelId: teamChat.id });
  });

  it("creates nothing the second time, recreates only a deleted channel, and adopts one that exists", async () => {
    const guild = fake.createGuild({ name: "Clan B" });
    const { user } = await linkedAdmin();
    const run = () => fake.sendCommand({ guildId: guild.id, name: "setup", subcommand: "run", user, memberPermissions: admin }).then((h) => h.reply());
    await run();
    const created = channelCreates(guild.id);
    expect(created).toBe(1 + FAMILY_LIST.length);

    const again = await run();
    expect(channelCreates(guild.id)).toBe(created);
    expect(JSON.stringify(again.embeds)).toContain("Notification channels checked");

    const shop = fake.channels(guild.id).find((c) => c.name === "shop")!;
    fake.deleteChannel(shop.id);
    const repaired = await run();
    expect(channelCreates(guild.id)).toBe(created + 1);
    const newShop = fake.channels(guild.id).find((c) => c.name === "shop")!;
    expect(newShop.id).not.toBe(shop.id);
    expect(JSON.stringify(repaired.embeds)).toContain(`<#${newShop.id}> — created`);
    expect((await bot.db.prisma.discordIntegration.findUniqueOrThrow({ where: { guildId: guild.id } })).shopChannelId).toBe(newShop.id);

    // Another admin's /setup in the same guild adopts the channels by name instead of duplicating them.
    const second = await linkedAdmin();
    await fake.sendCommand({ guildId: guild.id, name: "setup", subcommand: "run", user: second.user, memberPermissions: admin }).then((h) => h.reply());
    expect(channelCreates(guild.id)).toBe(created + 1);
  });

  it("names exactly which permissions are missing, and changes nothing", async () => {
    const guild = fake.createGuild({ name: "Locked", botPermissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks });
    const { user } = await linkedAdmin();
    const reply = await (await fake.sendCommand({ guildId: guild.id, name: "setup", subcommand: "run", user, memberPermissions: admin })).reply();
    expect(reply.content).toContain("I'm missing **Manage Channels**, **Manage Roles**, **Attach Files**, **Read Message History** in **Locked**");
    expect(fake.channels(guild.id)).toEqual([]);
    expect(await bot.db.prisma.discordIntegration.findUnique({ where: { guildId: guild.id } })).toBeNull();
  });

  it("switches a family off and on with a button that still works after a restart", async () => {
    const guild = fake.createGuild({ name: "Clan C" });
    const { user } = await linkedAdmin();
    await fake.sendCommand({ guildId: guild.id, name: "setup", subcommand: "run", user, memberPermissions: admin }).then((h) => h.reply());
    const panel = await (await fake.sendCommand({ guildId: guild.id, name: "setup", subcommand: "families", user, memberPermissions: admin })).reply();
    const shopButton = JSON.stringify(panel.components).match(/"custom_id":"(family:SHOP:off)"/)?.[1];
    expect(shopButton).toBe("family:SHOP:off");

    await bot.restart();
    const clicked = await (await fake.clickButton({ guildId: guild.id, customId: shopButton!, user, memberPermissions: admin })).reply();
    expect(clicked.content).toContain("Shop notifications are now **off**");
    expect(JSON.stringify(clicked.components)).toContain("family:SHOP:on");
    expect((await bot.db.prisma.discordIntegration.findUniqueOrThrow({ where: { guildId: guild.id } })).shopEnabled).toBe(false);

    // A member without Manage Server cannot press it.
    const member = fake.createUser();
    const refused = await (await fake.clickButton({ guildId: guild.id, customId: "family:SHOP:on", user: member, memberPermissions: PermissionFlagsBits.SendMessages })).reply();
    expect(refused).toMatchObject({ ephemeral: true, content: "Only members with Manage Server can switch notifications." });
  });

  it("forgets the setup but keeps channels, or deletes them after a confirmation modal", async () => {
    const guild = fake.createGuild({ name: "Clan D" });
    const { user } = await linkedAdmin();
    await fake.sendCommand({ guildId: guild.id, name: "setup", subcommand: "run", user, memberPermissions: admin }).then((h) => h.reply());
    const count = fake.channels(guild.id).length;

    const modal = await fake.sendCommand({ guildId: guild.id, name: "setup", subcommand: "remove", options: { delete_channels: true }, user, memberPermissions: admin });
    expect((await modal.response).type).toBe(9);
    await bot.restart();
    const wrong = await (await fake.submitModal({ guildId: guild.id, customId: "setup-remove", fields: { confirm: "nope" }, user, memberPermissions: admin })).reply();
    expect(wrong.content).toContain("nothing was deleted");
    expect(fake.channels(guild.id)).toHaveLength(count);

    const done = await (await fake.submitModal({ guildId: guild.id, customId: "setup-remove", fields: { confirm: "clan d" }, user, memberPermissions: admin })).reply();
    expect(done.content).toContain(`Deleted ${count} channels`);
    expect(fake.channels(guild.id)).toEqual([]);
    expect(await bot.db.prisma.discordIntegration.findUnique({ where: { guildId: guild.id } })).toBeNull();
  });
});
