// /link — a one-time URL that signs in with Steam and links it to this Discord account.
import { ApplicationCommandType, ButtonStyle, ComponentType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { SlashCommand } from "../src/bot/types.ts";
import type { LinkProfile } from "../src/identity/link-profile.ts";
import { createOneTimeToken } from "../src/identity/one-time-tokens.ts";

const data = {
  name: "link",
  description: "Link your Steam account to your Discord account",
  type: ApplicationCommandType.ChatInput,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const link: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const minutes = ctx.config.LINK_TOKEN_TTL_MINUTES;
    const { user } = interaction;
    // The confirm page names this account from the payload (link-profile.ts).
    const payload: LinkProfile = { username: user.username, globalName: user.globalName, avatar: user.avatar };
    const { token } = await createOneTimeToken(ctx.prisma, { purpose: "LINK_DISCORD", subject: user.id, ttlMs: minutes * 60_000, payload });
    const url = new URL(`/auth/link/${token}`, ctx.config.PUBLIC_BASE_URL).href;
    return {
      content: `Sign in with Steam to link it to your Discord account. This link is yours alone: do not share it. It works once and expires in ${minutes} minutes.`,
      components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Link, label: "Sign in with Steam", url }] }],
      ephemeral: true,
    };
  },
};
