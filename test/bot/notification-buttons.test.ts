// Notifications with buttons: posted alone with their action row, and a click reaches a component handler.
import { ButtonStyle, ComponentType, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { components } from "../../commands/index.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import type { NotificationEvent } from "../../src/notify/events.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

// A handler for the test's own prefix: what the connection manager's "reconnect" button will be.
const clicks: { customId: string; args: string[] }[] = [];
const probe: ComponentHandler = {
  prefix: "probe",
  async execute(interaction, args) {
    clicks.push({ customId: interaction.customId, args });
    return { content: `Reconnecting ${args[1]}…`, ephemeral: true };
  },
};

let fake: FakeDiscord;
let bot: TestBot;
let userId: string;
let guildId: string;
let discordUser: ReturnType<FakeDiscord["createUser"]>;

const statusChannel = () => fake.channels(guildId).find((c) => c.name === "server-status")!.id;
const status = (text: string, buttons?: NotificationEvent["buttons"]): NotificationEvent => ({
  kind: "server-status",
  serverName: "Rustoria EU",
  text,
  at: new Date().toISOString(),
  ...(buttons && { buttons }),
});

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Buttons" }).id;
  bot = await startTestBot(fake, { components: [...components, probe] });
  discordUser = fake.createUser();
  userId = (await linkUser(bot.db.prisma, discordUser.id)).id;
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: discordUser, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("notifications with buttons", () => {
  it("posts an event with buttons alone, in order, between coalesced neighbours, and a click reaches its handler", async () => {
    const buttons = [
      { customId: "probe:reconnect:srv1", label: "Reconnect", style: "primary" as const },
      { customId: "probe:forget:srv1", label: "Forget server", style: "danger" as const },
    ];
    await bot.db.prisma.$transaction(async (tx) => {
      const events = [status("a1"), status("a2"), status("Rustoria EU went offline", buttons), status("c1"), status("c2")];
      for (const [i, event] of events.entries()) await bot.notifier.notify({ userId, event, dedupeKey: `buttons:${i}` }, tx);
    });
    await bot.notifier.idle();

    const messages = fake.messages(statusChannel());
    expect(messages.map((m) => m.embeds.map((e) => e.description))).toEqual([["a1", "a2"], ["Rustoria EU went offline"], ["c1", "c2"]]);
    expect(messages.map((m) => m.components?.length ?? 0)).toEqual([0, 1, 0]);
    expect(messages[1]?.components).toEqual([
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: "probe:reconnect:srv1", label: "Reconnect" },
          { type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: "probe:forget:srv1", label: "Forget server" },
        ],
      },
    ]);
    const rows = await bot.db.prisma.notificationOutbox.findMany({ where: { dedupeKey: { startsWith: "buttons:" } }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["SENT", "SENT", "SENT", "SENT", "SENT"]);
    expect(rows[2]?.messageId).toBe(messages[1]?.id);

    const reply = await (await fake.clickButton({ guildId, customId: "probe:reconnect:srv1", messageId: messages[1]!.id, user: discordUser })).reply();
    expect(reply).toMatchObject({ content: "Reconnecting srv1…", ephemeral: true });
    expect(clicks).toEqual([{ customId: "probe:reconnect:srv1", args: ["reconnect", "srv1"] }]);
  });

  it("refuses (logs, never throws) more than 5 buttons, a custom id over 100 characters, and two buttons with one custom id", async () => {
    const button = (customId: string) => ({ customId, label: "Go", style: "secondary" as const });
    const notify = (buttons: NotificationEvent["buttons"]) => bot.notifier.notify({ userId, event: status("x", buttons), dedupeKey: `bad:${Math.random()}` });
    // A notification never throws into the transaction of the change it reports: it is logged and skipped.
    const issues = () => bot.logs.filter((l) => String(l["msg"]).startsWith("notification failed validation")).map((l) => String(l["issues"]));
    await expect(notify(Array.from({ length: 6 }, (_, i) => button(`probe:${i}`)))).resolves.toBe("invalid");
    await expect(notify([button(`probe:${"x".repeat(100)}`)])).resolves.toBe("invalid");
    await expect(notify([button("probe:same"), button("probe:same")])).resolves.toBe("invalid");
    expect(issues()).toEqual([expect.stringMatching(/5/), expect.stringMatching(/100/), expect.stringMatching(/unique/)]);
    expect(await bot.db.prisma.notificationOutbox.count({ where: { dedupeKey: { startsWith: "bad:" } } })).toBe(0);
  });
});
