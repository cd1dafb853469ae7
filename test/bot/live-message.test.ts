// Live messages through the real REST client and the fake Discord: posted once, edited in place only when
// the content changes, reposted when deleted, nothing without a channel, never a thrown error.
import { ButtonStyle, PermissionFlagsBits, type APIEmbed } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationButton } from "../../src/notify/buttons.ts";
import { removeLiveMessage, upsertLiveMessage } from "../../src/notify/live-message.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot, routeTo } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let userId: string;
let guildId: string;
let discordUser: ReturnType<FakeDiscord["createUser"]>;

const statusChannel = () => fake.channels(guildId).find((c) => c.name === "server-status")!.id;
const card = (players: number): APIEmbed => ({ title: "Rustoria EU", description: `Players ${players}/200`, fields: [{ name: "Wipe", value: "3 days ago" }] });
const upsert = (key: string, embed: APIEmbed, buttons?: NotificationButton[], who = userId) =>
  upsertLiveMessage(bot.db.prisma, bot.client.rest, bot.ctx.logger, { userId: who, key, family: "STATUS", embed, ...(buttons && { buttons }) });
const remove = (key: string) => removeLiveMessage(bot.db.prisma, bot.client.rest, bot.ctx.logger, { userId, key });
const messageCalls = () => fake.calls.filter((c) => c.route.startsWith("/channels/:id/messages")).length;
const setup = () => fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: discordUser, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Live" }).id;
  bot = await startTestBot(fake);
  discordUser = fake.createUser();
  userId = (await linkUser(bot.db.prisma, discordUser.id)).id;
  await setup();
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("live messages", () => {
  it("posts once, then edits the same message; unchanged content sends nothing", async () => {
    const buttons: NotificationButton[] = [{ customId: "probe:refresh:1", label: "Refresh", style: "secondary" }];
    const first = await upsert("server:1", card(10), buttons);
    expect(first).toMatchObject({ outcome: "posted", channelId: statusChannel() });

    const before = messageCalls();
    expect(await upsert("server:1", { ...card(10) }, [...buttons])).toMatchObject({ outcome: "unchanged" });
    expect(messageCalls()).toBe(before);

    const edited = await upsert("server:1", card(11));
    expect(edited).toEqual({ outcome: "edited", channelId: statusChannel(), messageId: first.outcome === "posted" ? first.messageId : "" });
    const messages = fake.messages(statusChannel());
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ id: edited.outcome === "edited" && edited.messageId, embeds: [{ description: "Players 11/200" }], components: [] });
    expect(messages[0]?.edited_timestamp).not.toBeNull();
  });

  it("shows its buttons, and puts them back on an edit", async () => {
    const buttons: NotificationButton[] = [
      { customId: "probe:on:7", label: "On", style: "success" },
      { customId: "probe:off:7", label: "Off", style: "danger" },
    ];
    await upsert("device:7", card(1), buttons);
    await upsert("device:7", card(2), buttons);
    const [message] = fake.messages(statusChannel()).filter((m) => m.embeds[0]?.description === "Players 2/200");
    expect(message?.components).toMatchObject([
      {
        components: [
          { custom_id: "probe:on:7", label: "On", style: ButtonStyle.Success },
          { custom_id: "probe:off:7", label: "Off", style: ButtonStyle.Danger },
        ],
      },
    ]);
  });

  it("reposts a message someone deleted, once, and remembers the new one", async () => {
    const posted = await upsert("server:2", card(20));
    if (posted.outcome !== "posted") throw new Error(`not posted: ${JSON.stringify(posted)}`);
    fake.deleteMessage(posted.channelId, posted.messageId);

    const reposted = await upsert("server:2", card(21));
    expect(reposted).toMatchObject({ outcome: "reposted", channelId: statusChannel() });
    const copies = fake.messages(statusChannel()).filter((m) => m.embeds[0]?.title === "Rustoria EU" && /Players 2[01]\//.test(m.embeds[0]?.description ?? ""));
    expect(copies.map((m) => m.embeds[0]?.description)).toEqual(["Players 21/200"]);
    expect(await upsert("server:2", card(22))).toMatchObject({ outcome: "edited", messageId: reposted.outcome === "reposted" && reposted.messageId });
  });

  it("says so when the channel was deleted, and posts into the one /setup recreates", async () => {
    await upsert("server:3", card(30));
    const old = statusChannel();
    fake.deleteChannel(old);
    expect(await upsert("server:3", card(31))).toEqual({ outcome: "no-channel", reason: "channel-missing" });
    await setup();
    expect(statusChannel()).not.toBe(old);
    expect(await upsert("server:3", card(32))).toMatchObject({ outcome: "posted", channelId: statusChannel() });
    expect(fake.messages(statusChannel()).map((m) => m.embeds[0]?.description)).toEqual(["Players 32/200"]);
  });

  it("coalesces concurrent upserts of one key: one message, only the last content sent", async () => {
    const before = fake.calls.length;
    const results = await Promise.all([40, 41, 42, 43, 44].map((n) => upsert("server:4", card(n))));
    // All five waited together: one post, with the newest state, and every caller is told of it.
    expect(results.map((r) => r.outcome)).toEqual(["posted", "posted", "posted", "posted", "posted"]);
    const sent = fake.calls.slice(before).filter((c) => c.route.startsWith("/channels/:id/messages"));
    expect(sent.map((c) => (c.body as { embeds: APIEmbed[] }).embeds[0]?.description)).toEqual(["Players 44/200"]);
    const copies = fake.messages(statusChannel()).filter((m) => /Players 4\d\//.test(m.embeds[0]?.description ?? ""));
    expect(copies.map((m) => m.embeds[0]?.description)).toEqual(["Players 44/200"]);
    expect(await bot.db.prisma.liveMessage.count({ where: { userId, key: "server:4" } })).toBe(1);
  });

  it("while an edit waits for Discord, only the newest of the states queued behind it is sent", async () => {
    await upsert("server:5", card(50));
    const before = fake.calls.length;
    // The first edit holds the key (its PATCH answered 429, retried after 0.5 s); the next five queue behind
    // it, each replacing the last.
    fake.failNext({ method: "PATCH", route: "/channels/:id/messages/:id", status: 429, retryAfter: 0.5 });
    const limited = fake.nextCall((c) => c.method === "PATCH" && c.status === 429);
    const first = upsert("server:5", card(51));
    await limited;
    const queued = await Promise.all([52, 53, 54, 55, 56].map((n) => upsert("server:5", card(n))));
    await first;
    expect(queued.map((r) => r.outcome)).toEqual(["edited", "edited", "edited", "edited", "edited"]);
    const edits = fake.calls.slice(before).filter((c) => c.method === "PATCH" && c.status === 200);
    expect(edits.map((c) => (c.body as { embeds: APIEmbed[] }).embeds[0]?.description)).toEqual(["Players 51/200", "Players 56/200"]);
    const messages = fake.messages(statusChannel()).filter((m) => /Players 5\d\//.test(m.embeds[0]?.description ?? ""));
    expect(messages.map((m) => m.embeds[0]?.description)).toEqual(["Players 56/200"]);
  });

  it("does nothing without /setup or with the family off, and says why", async () => {
    const stranger = await linkUser(bot.db.prisma, fake.createUser().id);
    const before = messageCalls();
    // Not a member of the set-up guild: no guild is theirs.
    expect(await upsert("server:9", card(1), undefined, stranger.id)).toEqual({ outcome: "no-channel", reason: "no-setup" });
    await routeTo(bot.db.prisma, stranger.id, { guildId: fake.createGuild({ name: "Quiet" }).id, guildName: "Quiet", statusEnabled: false });
    expect(await upsert("server:9", card(1), undefined, stranger.id)).toEqual({ outcome: "no-channel", reason: "family-off" });
    expect(messageCalls()).toBe(before);
  });

  it("retries a 503 inside the REST client, and reports what still fails instead of throwing", async () => {
    await upsert("server:5", card(50));
    fake.failNext({ method: "PATCH", route: "/channels/:id/messages/:id", status: 503 });
    expect(await upsert("server:5", card(51))).toMatchObject({ outcome: "edited" });

    // The REST client's default: one try and 3 retries.
    fake.failNext({ method: "PATCH", route: "/channels/:id/messages/:id", status: 503, times: 4 });
    expect(await upsert("server:5", card(52))).toMatchObject({ outcome: "failed", error: expect.stringContaining("503") });
    // Nothing was recorded as shown, so the next upsert edits again.
    expect(await upsert("server:5", card(52))).toMatchObject({ outcome: "edited" });

    expect(await upsert("x".repeat(101), card(1))).toMatchObject({ outcome: "failed", error: expect.stringContaining("invalid live message") });
  });

  it("removes the message and its row; removing again finds nothing", async () => {
    const posted = await upsert("server:6", card(60));
    if (posted.outcome !== "posted") throw new Error("not posted");
    expect(await remove("server:6")).toEqual({ outcome: "removed" });
    expect(fake.messages(posted.channelId).some((m) => m.id === posted.messageId)).toBe(false);
    expect(await bot.db.prisma.liveMessage.count({ where: { userId, key: "server:6" } })).toBe(0);
    expect(await remove("server:6")).toEqual({ outcome: "absent" });
  });

  it("goes with its user", async () => {
    const other = fake.createUser();
    const user = await linkUser(bot.db.prisma, other.id);
    await routeTo(bot.db.prisma, user.id, { guildId, guildName: "Live", statusChannelId: statusChannel() });
    await upsert("server:7", card(70), undefined, user.id);
    await bot.db.prisma.user.delete({ where: { id: user.id } });
    expect(await bot.db.prisma.liveMessage.count({ where: { userId: user.id } })).toBe(0);
  });
});
