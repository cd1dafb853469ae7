// /server — the paired servers: which are live, their info, and connecting, disconnecting or removing them.
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { allowance } from "../src/billing/entitlements.ts";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { actionRow } from "../src/notify/buttons.ts";
import { serverButtons, serverCard, serverLabel, stateLine } from "../src/pairing/server-card.ts";
import { connectServer, disconnectServer, removeServer } from "../src/pairing/server-control.ts";
import { setQueryPort } from "../src/intel/a2s/set-query-port.ts";
import { PAIR_A_SERVER } from "../src/sharing/access-answers.ts";
import { accessibleServers, serverAccess } from "../src/sharing/server-access.ts";
import { plain } from "../src/bot/plain-text.ts";
import { listContent } from "../src/bot/list-reply.ts";

const server = { type: ApplicationCommandOptionType.String, name: "server", description: "A paired server (type to search by name)", required: true, autocomplete: true } as const;

const data = {
  name: "server",
  description: "Your paired Rust servers",
  type: ApplicationCommandType.ChatInput,
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: "list", description: "Every server you paired or were given, and which are live" },
    { type: ApplicationCommandOptionType.Subcommand, name: "info", description: "Players, queue, time of day, wipe and map of one server", options: [server] },
    { type: ApplicationCommandOptionType.Subcommand, name: "connect", description: "Keep a server live (counts against your tier)", options: [server] },
    { type: ApplicationCommandOptionType.Subcommand, name: "disconnect", description: "Stop the live connection; the pairing stays", options: [server] },
    { type: ApplicationCommandOptionType.Subcommand, name: "remove", description: "Forget a server, with its devices and notes", options: [server] },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "query-port",
      description: "Set the server's Steam query port for player intel, or 'auto' to find it",
      options: [server, { type: ApplicationCommandOptionType.String, name: "port", description: "A port number (1-65535) or 'auto'", required: true, max_length: 10 }],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const serverId = z.string().min(1, "Pick a server from the list.").max(40, "Pick a server from the list.");
const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("list") }),
  z.object({ subcommand: z.enum(["info", "connect", "disconnect", "remove"]), server: serverId }),
  z.object({
    subcommand: z.literal("query-port"),
    server: serverId,
    port: z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => v === "auto" || (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535), "The port is a number from 1 to 65535, or `auto` to let the bot find it.")
      .transform((v) => (v === "auto" ? ("auto" as const) : Number(v))),
  }),
]);

const OWNER_ONLY = new Set(["connect", "disconnect", "remove", "query-port"]);

export const serverCommand: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    if (opts.subcommand === "list") {
      const servers = await accessibleServers(ctx.prisma, user);
      if (!servers.length) {
        throw new UserError(`No paired servers yet. To pair one, ${PAIR_A_SERVER}; or ask a teammate to share theirs with you (\`/share add\`).`);
      }
      const live = await allowance(ctx.prisma, ctx.config, user, "pairedServers");
      const lines = servers.map((s) => {
        const state = stateLine(s, ctx.rust.status(s.id));
        const players = ctx.rust.status(s.id)?.snapshot?.info;
        return `${state.icon} **${plain(serverLabel(s))}** — ${state.text}${players && state.icon === "🟢" ? ` · ${players.players}/${players.maxPlayers} players` : ""}${s.userId === user.id ? "" : " · shared with you"}`;
      });
      return { content: listContent({ lines, tail: `\nLive: ${live.used} of ${live.limit} (${live.tier} tier).`, narrow: "see one with `/server info`" }), ephemeral: true };
    }
    if (opts.subcommand === "info") {
      const { server: row, role } = await serverAccess(ctx.prisma, user, opts.server);
      return {
        embeds: [serverCard(row, ctx.rust.status(row.id))],
        ...(role === "owner" && { components: [actionRow(serverButtons(row))] }),
        ephemeral: true,
      };
    }
    if (opts.subcommand === "query-port") {
      return { content: await setQueryPort(ctx, user, opts.server, opts.port), ephemeral: true };
    }
    const text =
      opts.subcommand === "connect"
        ? await connectServer(ctx, user, opts.server, "option")
        : opts.subcommand === "disconnect"
          ? await disconnectServer(ctx, user, opts.server, "option")
          : await removeServer({ ...ctx, rest: interaction.client.rest }, user, opts.server, "option");
    return { content: text, ephemeral: true };
  },
  async autocomplete(interaction, focused, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user || focused.name !== "server") return [];
    const subcommand = interaction.options.getSubcommand(false) ?? "";
    const servers = await accessibleServers(ctx.prisma, user, focused.value.slice(0, 100), { ownedOnly: OWNER_ONLY.has(subcommand) });
    return servers.map((s) => ({ name: `${serverLabel(s)}${s.live ? "" : " (offline)"}`, value: s.id }));
  },
};
