// /share — let teammates use one of your paired servers (its commands and devices).
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { accessibleServers } from "../src/sharing/server-access.ts";
import { grantGuest, listGuests, revokeGuest } from "../src/sharing/guests.ts";
import { listContent } from "../src/bot/list-reply.ts";
import { plain } from "../src/bot/plain-text.ts";

const server = { type: ApplicationCommandOptionType.String, name: "server", description: "One of your paired servers", required: true, autocomplete: true } as const;
const who = [
  { type: ApplicationCommandOptionType.User, name: "user", description: "A teammate on Discord (linked with /link)" },
  { type: ApplicationCommandOptionType.String, name: "steam_id", description: "Or their 17-digit Steam id", min_length: 17, max_length: 17 },
] as const;

const data = {
  name: "share",
  description: "Share a paired server with teammates",
  type: ApplicationCommandType.ChatInput,
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: "add", description: "Give a teammate access", options: [server, ...who] },
    { type: ApplicationCommandOptionType.Subcommand, name: "list", description: "Who has access", options: [server] },
    { type: ApplicationCommandOptionType.Subcommand, name: "revoke", description: "Take access away", options: [server, ...who] },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const serverId = z.string().min(1).max(40);
const steamId = z.string().regex(/^7656\d{13}$/, "That is not a 17-digit Steam id (7656…).");
const target = { user: z.string().optional(), steam_id: steamId.optional() };
const oneTarget = (o: { user?: string | undefined; steam_id?: string | undefined }) => (o.user === undefined) !== (o.steam_id === undefined);
const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("add"), server: serverId, ...target }).refine(oneTarget, { error: "Give either a Discord user or a Steam id." }),
  z.object({ subcommand: z.literal("list"), server: serverId }),
  z.object({ subcommand: z.literal("revoke"), server: serverId, ...target }).refine(oneTarget, { error: "Give either a Discord user or a Steam id." }),
]);

export const share: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const owner = await requireLinkedUser(ctx.prisma, interaction.user.id);
    if (opts.subcommand === "list") {
      const { server: s, grants } = await listGuests(ctx.prisma, owner, opts.server);
      const lines = grants.map((g) => {
        const discord = g.guest?.accounts.find((a) => a.provider === "discord");
        return `${g.guestSteamId}${discord ? ` (<@${discord.providerAccountId}>)` : " (not linked yet)"}`;
      });
      return { content: listContent({ head: `**${plain(s.serverName)}** is shared with:`, lines: lines.length ? lines : ["nobody yet"] }), ephemeral: true };
    }
    let guestSteamId = opts.steam_id;
    if (opts.user !== undefined) {
      const guest = await findLinkedUser(ctx.prisma, opts.user);
      if (!guest) throw new UserError(`<@${opts.user}> has not linked Steam yet: ask them to run \`/link\`, or use their Steam id.`);
      guestSteamId = guest.steamId;
    }
    if (!guestSteamId) throw new UserError("Give either a Discord user or a Steam id.");
    if (opts.subcommand === "add") {
      await grantGuest(ctx.prisma, ctx.config, owner, opts.server, guestSteamId);
      return { content: `Shared with ${opts.user ? `<@${opts.user}>` : guestSteamId}: they can now use this server's commands and devices.`, ephemeral: true };
    }
    await revokeGuest(ctx.prisma, owner, opts.server, guestSteamId);
    return { content: `Access revoked for ${opts.user ? `<@${opts.user}>` : guestSteamId}.`, ephemeral: true };
  },
  async autocomplete(interaction, focused, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user || focused.name !== "server") return [];
    const servers = await accessibleServers(ctx.prisma, user, focused.value, { ownedOnly: true });
    return servers.map((s) => ({ name: s.serverName, value: s.id }));
  },
};
