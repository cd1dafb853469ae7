// The fake Discord, driven through the real, unmodified discord.js Client.
import { once } from "node:events";
import {
  ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle, ChannelType, Client, DiscordAPIError, EmbedBuilder,
  GatewayIntentBits, MessageFlags, ModalBuilder, PermissionFlagsBits as P, SlashCommandBuilder, TextInputBuilder,
  TextInputStyle, type ClientOptions, type Interaction, type TextChannel,
} from "discord.js";
import { GatewayOpcodes, InteractionResponseType, Routes } from "discord-api-types/v10";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { FakeDiscord, type FakeDiscordOptions } from "./discord/index.ts";

let fake: FakeDiscord;
const clients: Client[] = [];

async function login(options: Partial<ClientOptions> = {}, token = fake.token): Promise<Client> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    rest: { api: fake.restUrl }, ...options,
  });
  clients.push(client);
  const ready = once(client, "clientReady");
  await client.login(token);
  await ready;
  return client;
}

async function start(options: FakeDiscordOptions = {}): Promise<void> {
  fake = await FakeDiscord.start(options);
}

/** A guild with a category and a text channel in it. */
function world(): { guildId: string; channelId: string } {
  const guild = fake.createGuild({ name: "Rust Clan" });
  const category = guild.createChannel({ name: "rust", type: ChannelType.GuildCategory });
  const channel = guild.createChannel({ name: "team-chat", parent_id: category.id });
  return { guildId: guild.id, channelId: channel.id };
}

function on(client: Client, handler: (interaction: Interaction) => Promise<unknown>): void {
  client.on("interactionCreate", (interaction) => void handler(interaction).catch((error: unknown) => client.emit("error", error as Error)));
}

beforeEach(() => start());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await fake.close();
});

describe("gateway", () => {
  it("logs in: READY, then the guild with its channels and roles", async () => {
    const { guildId, channelId } = world();
    const client = await login();
    expect(client.user?.id).toBe(fake.applicationId);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(guildId);
    expect(guild?.channels.cache.get(channelId)?.parentId).toBe(guild?.channels.cache.find((c) => c.type === ChannelType.GuildCategory)?.id);
    expect(guild?.roles.cache.size).toBe(2); // @everyone and the bot's managed role
    expect(guild?.members.me?.permissions.has(P.ManageChannels)).toBe(true);
    expect(fake.identifies).toEqual([{ shard: [0, 1], intents: expect.any(Number) as number }]);
    expect(fake.calls.map((c) => c.route)).toEqual(["/gateway/bot"]);
  });

  it("rejects a bad token: login fails on GET /gateway/bot with 401", async () => {
    await expect(login({}, "MTA.wrong.token")).rejects.toThrow(/invalid token/i);
    expect(fake.calls[0]).toMatchObject({ route: "/gateway/bot", status: 401 });
  });

  it("speaks the protocol to a raw socket: HELLO, heartbeat ACK, invalid session, 4004 on a bad token", async () => {
    const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const next = (): Promise<unknown> => new Promise((resolve) => socket.once("message", (raw: Buffer) => resolve(JSON.parse(raw.toString()))));
    expect(await next()).toMatchObject({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: 250 } });
    socket.send(JSON.stringify({ op: GatewayOpcodes.Heartbeat, d: null }));
    expect(await next()).toMatchObject({ op: GatewayOpcodes.HeartbeatAck });
    socket.send(JSON.stringify({ op: GatewayOpcodes.Resume, d: { token: fake.token, session_id: "nope", seq: 3 } }));
    expect(await next()).toEqual({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
    const closed = once(socket, "close");
    socket.send(JSON.stringify({ op: GatewayOpcodes.Identify, d: { token: "wrong", intents: 1, properties: {} } }));
    expect((await closed)[0]).toBe(4004);
  });

  it("closes 4010 on a shard count that is not the fake's", async () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restUrl }, shards: [0], shardCount: 2 });
    clients.push(client);
    const shardError = once(client, "shardError");
    await expect(client.login(fake.token)).rejects.toThrow("Invalid shard"); // discord.js 14.28: login rejects
    expect(((await shardError) as [Error])[0].message).toBe("Invalid shard");
    expect(fake.identifies.map((i) => i.shard)).toEqual([[0, 2]]);
    expect(fake.gatewayCloses).toEqual([{ code: 4010, shardId: 0 }]);
  });

  it("replays what was dispatched while disconnected after the client RESUMEs", async () => {
    const { guildId } = world();
    const client = await login();
    on(client, async (i) => i.isChatInputCommand() && i.reply("still here"));
    const [before] = fake.sessions();
    await fake.dropConnection();
    const handle = await fake.sendCommand({ guildId, name: "ping" }); // buffered while the socket is down
    await fake.waitForResume();
    expect((await handle.reply()).content).toBe("still here");
    const [after] = fake.sessions();
    expect(after).toMatchObject({ sessionId: before?.sessionId, connected: true });
    expect(fake.identifies).toHaveLength(1);
  });

  it("routes each guild's interaction to the client that owns its shard", async () => {
    await fake.close();
    await start({ shardCount: 2 });
    const zero = fake.createGuild({ name: "Zero", shard: 0 });
    const one = fake.createGuild({ name: "One", shard: 1 });
    const seen: string[] = [];
    const clientsByShard = await Promise.all([0, 1].map((shard) => login({ shards: [shard], shardCount: 2 })));
    clientsByShard.forEach((client, shard) => on(client, async (i) => {
      seen.push(`${shard}:${i.guildId}`);
      if (i.isChatInputCommand()) await i.reply(`shard ${shard}`);
    }));
    expect(clientsByShard.map((c) => [...c.guilds.cache.keys()])).toEqual([[zero.id], [one.id]]);
    expect((await (await fake.sendCommand({ guildId: one.id, name: "ping" })).reply()).content).toBe("shard 1");
    expect((await (await fake.sendCommand({ guildId: zero.id, name: "ping" })).reply()).content).toBe("shard 0");
    expect(seen).toEqual([`1:${one.id}`, `0:${zero.id}`]);
  });
});

describe("interactions", () => {
  it("answers a slash command with options, typed from the registered command", async () => {
    const { guildId, channelId } = world();
    const client = await login();
    const command = new SlashCommandBuilder().setName("raid").setDescription("raid alarm")
      .addSubcommand((s) => s.setName("add").setDescription("add")
        .addStringOption((o) => o.setName("base").setDescription("base").setRequired(true))
        .addNumberOption((o) => o.setName("rockets").setDescription("rockets"))
        .addUserOption((o) => o.setName("who").setDescription("who")));
    await client.application?.commands.set([command.toJSON()], guildId);
    expect(fake.commands(guildId)).toEqual([command.toJSON()]);
    on(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      const who = i.options.getUser("who");
      await i.reply({ content: `${i.options.getSubcommand()} ${i.options.getString("base")} ${i.options.getNumber("rockets")} ${who?.username}`, flags: MessageFlags.Ephemeral });
    });
    const friend = fake.createUser({ username: "friend" });
    const handle = await fake.sendCommand({ guildId, channelId, name: "raid", subcommand: "add", options: { base: "A1", rockets: 4, who: friend.id } });
    expect(await handle.response).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource });
    expect(await handle.reply()).toMatchObject({ content: "add A1 4 friend", ephemeral: true });
    expect(fake.messages(channelId)).toEqual([]); // ephemeral replies are not in the channel
    await expect(fake.waitForCall((c) => c.route === "/interactions/:id/:token/callback")).resolves.toMatchObject({ status: 204 });
  });

  it("resolves a role option to the role object (mentionable as created) and reports the member's permissions", async () => {
    const { guildId, channelId } = world();
    const guild = fake.guild(guildId);
    const open = guild.createRole("Raid defence", 0n, { mentionable: true });
    const closed = guild.createRole("Admins", 0n);
    const client = await login();
    const made = await client.guilds.cache.get(guildId)?.roles.create({ name: "Pingable", mentionable: true });
    const command = new SlashCommandBuilder().setName("notify").setDescription("notify").addRoleOption((o) => o.setName("role").setDescription("role").setRequired(true));
    await client.application?.commands.set([command.toJSON()], guildId);
    on(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      const role = i.options.getRole("role", true);
      await i.reply(`${role.name} ${role.mentionable} ${i.memberPermissions?.has(P.MentionEveryone)}`);
    });
    const ask = (role: string, memberPermissions?: bigint) => fake.sendCommand({ guildId, channelId, name: "notify", options: { role }, ...(memberPermissions === undefined ? {} : { memberPermissions }) }).then((h) => h.reply());
    expect((await ask(open.id)).content).toBe("Raid defence true false");
    expect((await ask(closed.id, P.MentionEveryone)).content).toBe("Admins false true");
    expect((await ask(made?.id ?? "")).content).toBe("Pingable true false");
  });

  it("defers, then edits the reply and follows up", async () => {
    const { guildId } = world();
    const client = await login();
    on(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply({ embeds: [new EmbedBuilder().setDescription("done")] });
      await i.followUp("and one more");
    });
    const handle = await fake.sendCommand({ guildId, name: "slow" });
    expect((await handle.response).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const reply = await handle.reply();
    expect(reply.embeds[0]?.description).toBe("done");
    expect(reply.ephemeral).toBe(false);
    expect(await handle.nextEdit()).toMatchObject({ embeds: [{ description: "done" }] });
    expect(await handle.nextFollowup()).toMatchObject({ content: "and one more" });
  });

  it("a second callback for the same interaction is 40060", async () => {
    const { guildId } = world();
    const client = await login();
    const failure = new Promise<unknown>((resolve) => on(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply("one");
      i.replied = false; // fool discord.js into answering twice
      await i.reply("two").catch(resolve);
    }));
    await (await fake.sendCommand({ guildId, name: "twice" })).reply();
    expect(await failure).toMatchObject({ code: 40060, status: 400 });
    expect(fake.calls.filter((c) => c.route.endsWith("/callback")).map((c) => c.status)).toEqual([204, 400]);
  });

  it("a button on a bot message updates that message", async () => {
    const { guildId, channelId } = world();
    const client = await login();
    const channel = client.channels.cache.get(channelId) as TextChannel;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId("ack").setLabel("Ack").setStyle(ButtonStyle.Primary));
    const sent = await channel.send({ content: "Raid!", components: [row] });
    on(client, async (i) => i.isButton() && i.update({ content: `acknowledged by ${i.user.username} on ${i.message.content}`, components: [] }));
    const user = fake.createUser({ username: "alice" });
    const reply = await (await fake.clickButton({ guildId, customId: "ack", messageId: sent.id, user })).reply();
    expect(reply.content).toBe("acknowledged by alice on Raid!");
    expect(fake.messages(channelId)).toMatchObject([{ id: sent.id, content: reply.content, components: [] }]);
  });

  it("a select menu carries its values", async () => {
    const { guildId } = world();
    const client = await login();
    on(client, async (i) => i.isStringSelectMenu() && i.reply(i.values.join("+")));
    expect((await (await fake.selectMenu({ guildId, customId: "pick", values: ["a", "b"] })).reply()).content).toBe("a+b");
  });

  it("shows a modal, then reads the submitted fields", async () => {
    const { guildId } = world();
    const client = await login();
    on(client, async (i) => {
      if (i.isChatInputCommand()) {
        const input = new TextInputBuilder().setCustomId("name").setLabel("Name").setStyle(TextInputStyle.Short);
        await i.showModal(new ModalBuilder().setCustomId("rename").setTitle("Rename")
          .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)));
      } else if (i.isModalSubmit()) await i.reply(`renamed to ${i.fields.getTextInputValue("name")}`);
    });
    const shown = await (await fake.sendCommand({ guildId, name: "rename" })).response;
    expect(shown).toMatchObject({ type: InteractionResponseType.Modal, data: { custom_id: "rename" } });
    expect((await (await fake.submitModal({ guildId, customId: "rename", fields: { name: "Base 2" } })).reply()).content).toBe("renamed to Base 2");
  });

  it("with_response returns the callback's message; deferUpdate then editReply edits the button's message", async () => {
    const { guildId, channelId } = world();
    const client = await login();
    let resolveResource: (content: string | undefined) => void = () => undefined;
    const resource = new Promise<string | undefined>((resolve) => (resolveResource = resolve));
    on(client, async (i) => {
      if (i.isChatInputCommand()) resolveResource((await i.reply({ content: "panel", withResponse: true })).resource?.message?.content);
      if (i.isButton()) {
        await i.deferUpdate();
        await i.editReply({ content: "switched" });
      }
    });
    const panel = await (await fake.sendCommand({ guildId, channelId, name: "panel" })).reply();
    expect(await resource).toBe("panel");
    const click = await fake.clickButton({ guildId, customId: "toggle", messageId: panel.id });
    expect((await click.response).type).toBe(InteractionResponseType.DeferredMessageUpdate);
    expect(await click.reply()).toMatchObject({ id: panel.id, content: "switched" });
    expect(fake.messages(channelId)).toMatchObject([{ id: panel.id, content: "switched" }]);
  });

  it("a callback after the interaction window is 10062 Unknown interaction", async () => {
    await fake.close();
    await start({ interactionTimeoutMs: 0 });
    const { guildId } = world();
    const client = await login();
    const failed = new Promise<unknown>((resolve) => on(client, async (i) => i.isChatInputCommand() && i.reply("late").catch(resolve)));
    await fake.sendCommand({ guildId, name: "late" });
    expect(await failed).toMatchObject({ code: 10062, status: 404 });
  });

  it("answers autocomplete with the bot's choices", async () => {
    const { guildId } = world();
    const client = await login();
    on(client, async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      await i.respond(["apple", "apricot", "banana"].filter((f) => f.startsWith(typed)).map((f) => ({ name: f, value: f })));
    });
    expect(await fake.autocomplete({ guildId, name: "fruit", options: { kind: "ap" }, focused: "kind" })).toEqual([
      { name: "apple", value: "apple" }, { name: "apricot", value: "apricot" },
    ]);
  });
});

describe("what members' clients are told (onClientEvent)", () => {
  it("messages created, edited and deleted, ephemeral replies and their edits, channels created and deleted", async () => {
    const { guildId, channelId } = world();
    const client = await login();
    const seen: string[] = [];
    fake.onClientEvent((e) => {
      switch (e.type) {
        case "message-create":
        case "message-update":
          return void seen.push(`${e.type} ${e.message.content}${(e.message.flags ?? 0) & MessageFlags.Ephemeral ? " (ephemeral)" : ""}`);
        case "message-delete":
          return void seen.push(`message-delete in ${e.channelId === channelId ? "team-chat" : e.channelId}`);
        case "commands":
          return void seen.push("commands");
        default:
          return void seen.push(`${e.type} ${e.channel.name}`);
      }
    });
    const channel = client.channels.cache.get(channelId) as TextChannel;
    const sent = await channel.send("hello");
    await sent.edit("hello again");
    await sent.delete();
    on(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: "only you", flags: MessageFlags.Ephemeral });
      await i.editReply("only you, edited");
    });
    const handle = await fake.sendCommand({ guildId, channelId, name: "secret" });
    await handle.nextEdit();
    const news = fake.guild(guildId).createChannel({ name: "news" });
    fake.deleteChannel(news.id);
    await client.rest.put(Routes.applicationCommands(fake.applicationId), { body: [] });
    expect(seen).toEqual([
      "message-create hello", "message-update hello again", "message-delete in team-chat",
      "message-create only you (ephemeral)", "message-update only you, edited (ephemeral)",
      "channel-create news", "channel-delete news", "commands",
    ]);
  });

  it("a button on an ephemeral reply reaches the bot with that message, and its update is told", async () => {
    const { guildId, channelId } = world();
    const client = await login();
    const user = fake.createUser({ username: "alice" });
    on(client, async (i) => {
      if (i.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId("sure").setLabel("Sure?").setStyle(ButtonStyle.Danger));
        await i.reply({ content: "Remove it?", components: [row], flags: MessageFlags.Ephemeral });
      } else if (i.isButton()) await i.update({ content: `removed (asked: ${i.message.content})`, components: [] });
    });
    const asked = await (await fake.sendCommand({ guildId, channelId, name: "remove", user })).reply();
    const updates: string[] = [];
    fake.onClientEvent((e) => void (e.type === "message-update" && e.message.id === asked.id && updates.push(e.message.content)));
    const reply = await (await fake.clickButton({ guildId, channelId, customId: "sure", messageId: asked.id, user })).reply();
    expect(reply).toMatchObject({ id: asked.id, content: "removed (asked: Remove it?)", ephemeral: true });
    expect(updates).toEqual(["removed (asked: Remove it?)"]);
    expect(fake.messages(channelId)).toEqual([]); // ephemeral: never stored in the channel
  });

  it("lists the guild's roles and members", () => {
    const { guildId } = world();
    const user = fake.createUser({ username: "alice" });
    fake.addMember(guildId, user);
    expect(fake.members(guildId).map((u) => u.username)).toContain("alice");
    expect(fake.roles(guildId).map((r) => r.name)).toEqual(expect.arrayContaining(["@everyone", "alice"]));
  });
});

describe("REST", () => {
  it("stores a channel message with a file, sent as multipart", async () => {
    const { channelId } = world();
    const client = await login();
    const channel = client.channels.cache.get(channelId) as TextChannel;
    await channel.send({ content: "map", files: [new AttachmentBuilder(Buffer.from("png bytes"), { name: "map.png" })] });
    expect(fake.messages(channelId)).toMatchObject([{ content: "map", attachments: [{ filename: "map.png", size: 9 }] }]);
    expect(fake.calls.at(-1)).toMatchObject({ route: "/channels/:id/messages", files: [{ name: "map.png", size: 9 }], body: { content: "map" } });
  });

  it("a scripted 429 is retried by the client and the message arrives once", async () => {
    const { channelId } = world();
    const client = await login();
    fake.failNext({ method: "POST", route: "/channels/:id/messages", status: 429, retryAfter: 0.05 });
    await (client.channels.cache.get(channelId) as TextChannel).send("once");
    expect(fake.messages(channelId).map((m) => m.content)).toEqual(["once"]);
    expect(fake.calls.filter((c) => c.route === "/channels/:id/messages").map((c) => c.status)).toEqual([429, 200]);
  });

  it("a missing permission is DiscordAPIError 50013; no VIEW_CHANNEL is 50001", async () => {
    const { guildId, channelId } = world();
    const client = await login();
    const channel = client.channels.cache.get(channelId) as TextChannel;
    const updated = once(client, "roleUpdate");
    fake.setBotPermissions(guildId, P.ViewChannel | P.SendMessages);
    await updated;
    expect(channel.permissionsFor(client.user?.id ?? "")?.has(P.EmbedLinks)).toBe(false);
    const embed = channel.send({ embeds: [new EmbedBuilder().setDescription("x")] });
    await expect(embed).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(embed).rejects.toMatchObject({ code: 50013, status: 403 });
    fake.setBotPermissions(guildId, P.SendMessages);
    await expect(channel.send("hidden")).rejects.toMatchObject({ code: 50001 });
    await expect(client.guilds.cache.get(guildId)?.channels.create({ name: "new" })).rejects.toMatchObject({ code: 50013 });
  });

  it("creates channels with overwrites, and dispatches CHANNEL_CREATE and CHANNEL_DELETE", async () => {
    const { guildId } = world();
    const client = await login();
    const guild = client.guilds.cache.get(guildId);
    if (!guild) throw new Error("no guild");
    const created = await guild.channels.create({
      name: "alarms", type: ChannelType.GuildText, topic: "raids",
      permissionOverwrites: [{ id: guildId, deny: [P.SendMessages] }, { id: client.user?.id ?? "", allow: [P.SendMessages] }],
    });
    expect(guild.channels.cache.has(created.id)).toBe(true);
    expect(fake.channels(guildId).find((c) => c.id === created.id)).toMatchObject({ name: "alarms", topic: "raids" });
    const deleted = once(client, "channelDelete");
    fake.deleteChannel(created.id);
    await deleted;
    expect(guild.channels.cache.has(created.id)).toBe(false);
    await expect(created.send("gone")).rejects.toMatchObject({ code: 10003, status: 404 });
  });

  it("applies channel overwrites: a category denying @everyone VIEW_CHANNEL hides its synced channels", async () => {
    const guild = fake.createGuild({ name: "Private", everyonePermissions: P.ViewChannel | P.SendMessages, botPermissions: P.ManageChannels });
    const category = guild.createChannel({ name: "staff", type: 4, permission_overwrites: [{ id: guild.id, type: 0, allow: "0", deny: String(P.ViewChannel) }] });
    const hidden = guild.createChannel({ name: "mods", parent_id: category.id });
    const open = guild.createChannel({ name: "lobby" });
    const client = await login();
    await expect((client.channels.cache.get(hidden.id) as TextChannel).send("x")).rejects.toMatchObject({ code: 50001 });
    await (client.channels.cache.get(open.id) as TextChannel).send("visible");
    const grant = { type: 1, allow: String(P.ViewChannel | P.SendMessages), deny: "0" };
    await expect(client.rest.put(`/channels/${hidden.id}/permissions/${client.user?.id ?? ""}`, { body: grant })).rejects.toMatchObject({ code: 50001 });
    expect(fake.messages(open.id).map((m) => m.content)).toEqual(["visible"]);
  });

  it("opens a DM and posts in it", async () => {
    world();
    const client = await login();
    const user = fake.createUser({ username: "dm-me" });
    const sent = await (await client.users.fetch(user.id)).send("psst");
    expect(fake.messages(sent.channelId)).toMatchObject([{ content: "psst" }]);
  });

  it("retries a 5xx; a global 429 is honoured", async () => {
    const { channelId } = world();
    const client = await login();
    fake.failNext({ route: /\/channels\/\d+\/messages$/, status: 502 });
    fake.failNext({ route: "/channels/:id/messages", status: 429, global: true, retryAfter: 0.02 });
    await (client.channels.cache.get(channelId) as TextChannel).send("through");
    expect(fake.calls.filter((c) => c.method === "POST").map((c) => c.status)).toEqual([502, 429, 200]);
  });

  it("enforce_nonce: the same nonce twice creates one message", async () => {
    const { channelId } = world();
    const client = await login();
    const channel = client.channels.cache.get(channelId) as TextChannel;
    const first = await channel.send({ content: "hi", nonce: "n-1", enforceNonce: true });
    const second = await channel.send({ content: "hi", nonce: "n-1", enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(fake.messages(channelId)).toHaveLength(1);
  });

  it("delivers a human's message to the bot", async () => {
    const { guildId, channelId } = world();
    const client = await login();
    const user = fake.createUser({ username: "bob" });
    fake.addMember(guildId, user);
    const received = once(client, "messageCreate");
    fake.postUserMessage({ channelId, user, content: "!status" });
    const [message] = (await received) as [{ content: string; author: { id: string } }];
    expect(message).toMatchObject({ content: "!status", author: { id: user.id } });
  });
});

describe("Discord's limits", () => {
  // Discord answers 400 {code: 50035, message: "Invalid Form Body", errors} with every broken rule by path.
  const errorsOf = (error: unknown) => (error as DiscordAPIError).rawError as { code: number; errors: Record<string, unknown> };

  it("refuses an embed field past its limit and embeds past 6,000 characters, with Discord's error shape", async () => {
    const { channelId } = world();
    const client = await login();
    const post = (body: object) => client.rest.post(Routes.channelMessages(channelId), { body });
    const long = await post({ embeds: [{ title: "t".repeat(257), fields: [{ name: "n", value: "v".repeat(1025) }] }] }).catch((e: unknown) => e);
    expect(long).toMatchObject({ status: 400, code: 50035 });
    expect(errorsOf(long).errors).toEqual({
      embeds: { 0: {
        title: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 256 or fewer in length." }] },
        fields: { 0: { value: { _errors: [{ code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 1024 in length." }] } } },
      } },
    });
    const total = await post({ embeds: [1, 2, 3].map(() => ({ description: "d".repeat(2500) })) }).catch((e: unknown) => e);
    expect(errorsOf(total).errors).toEqual({ embeds: { _errors: [{ code: "MAX_EMBED_SIZE_EXCEEDED", message: "Embed size exceeds maximum size of 6000" }] } });
    // Discord counts code points: 2,000 emoji are 4,000 UTF-16 units and still fit.
    await post({ content: "👍".repeat(2000) });
    await expect(post({ content: "👍".repeat(2001) })).rejects.toMatchObject({ code: 50035 });
    expect(fake.messages(channelId)).toHaveLength(1);
  });

  it("refuses more than 25 autocomplete choices and a choice name over 100", async () => {
    const { guildId } = world();
    const client = await login();
    const refused = new Promise<unknown>((resolve) =>
      on(client, async (i) => i.isAutocomplete() && i.respond(Array.from({ length: 26 }, (_, n) => ({ name: "x".repeat(101), value: String(n) }))).catch(resolve)),
    );
    void fake.autocomplete({ guildId, name: "fruit", options: { kind: "a" }, focused: "kind" });
    const error = await refused;
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect(Object.keys(errorsOf(error).errors["data"] as object)).toEqual(["choices"]);
  });
});
