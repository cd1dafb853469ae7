// /credentials — the Rust+ push credentials the bot listens with (from `fcm-register` on the player's PC).
import { ApplicationCommandOptionType, ApplicationCommandType, time, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { requireLinkedUser } from "../src/identity/linked-user.ts";
import { issueDeviceCode } from "../src/pairing/device-codes.ts";
import { channelStatusLine } from "../src/rustplus/channel-status.ts";
import { credentialStatus, removeCredentials } from "../src/rustplus/credentials-store.ts";
import { credentialsModal } from "./components/credentials.ts";

const data = {
  name: "credentials",
  description: "Your Rust+ push credentials (how pairings and alarms reach the bot)",
  type: ApplicationCommandType.ChatInput,
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: "add", description: "Add or replace them (paste what fcm-register wrote)" },
    { type: ApplicationCommandOptionType.Subcommand, name: "status", description: "Whether they are set, when they expire, and the state of the channel to Google" },
    { type: ApplicationCommandOptionType.Subcommand, name: "remove", description: "Delete them from the bot" },
    { type: ApplicationCommandOptionType.Subcommand, name: "code", description: "A one-time code for the companion tool on your PC to send them" },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const options = z.object({ subcommand: z.enum(["add", "status", "remove", "code"]) });

export const credentials: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const { subcommand } = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    if (subcommand === "add") return { modal: credentialsModal() };
    if (subcommand === "code") {
      const { code, expiresAt } = await issueDeviceCode(ctx.prisma, user.id);
      const base = ctx.config.PUBLIC_BASE_URL.endsWith("/") ? ctx.config.PUBLIC_BASE_URL : `${ctx.config.PUBLIC_BASE_URL}/`;
      const lines = [
        `Your pairing code: \`${code}\``,
        `Enter it in the companion tool on your PC; it sends your \`fcm-register\` credentials to ${new URL("api/device-pairing", base).href}.`,
        `It works once and expires ${time(expiresAt, "R")}. Only you can see this message; a new code replaces this one.`,
      ];
      return { content: lines.join("\n"), ephemeral: true };
    }
    if (subcommand === "remove") {
      ctx.pushes.stop(user.id);
      if (!(await removeCredentials(ctx.prisma, user.id))) throw new UserError("You have no credentials stored.");
      return { content: "Your push credentials are deleted. The bot no longer receives your pairings or alarms.", ephemeral: true };
    }
    const row = await credentialStatus(ctx.prisma, user.id);
    if (!row) return { content: "No credentials yet. Run `npx @liamcottle/rustplus.js fcm-register` on your PC, then `/credentials add`.", ephemeral: true };
    const lines = [
      `Steam account: ${row.steamId ?? "unknown"}`,
      `Expires: ${row.expiresAt ? time(row.expiresAt, "R") : "unknown"}`,
      `Last push received: ${row.lastPushAt ? time(row.lastPushAt, "R") : "none yet"}`,
      channelStatusLine(ctx.pushes, user.id),
    ];
    return { content: lines.join("\n"), ephemeral: true };
  },
};
