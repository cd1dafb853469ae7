// /map show — a paired server's map as an image: the server's own picture with the game's grid, monuments, the team,
// notes and live markers, with a button per layer under it. /map live — keep that map in #events, edited in place.
// (Discord allows no options beside subcommands, so the image is `/map show`.)
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import { deferNow } from "../src/bot/router.ts";
import { plain } from "../src/bot/plain-text.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { DEFAULT_LAYERS, LAYERS, parseLayerNames } from "../src/map/layers.ts";
import { LIVE_MAP_EVERY_MS } from "../src/map/live-map.ts";
import { mapReply } from "../src/map/map-reply.ts";
import { familyChannel } from "../src/notify/family-channel.ts";
import { serverLabel } from "../src/pairing/server-card.ts";
import { requireOwnedServer, serverAccess, serverChoices } from "../src/sharing/server-access.ts";

const server = { type: ApplicationCommandOptionType.String, name: "server", description: "One of your paired servers", required: true, autocomplete: true } as const;

const data = {
  name: "map",
  description: "The server's map with the grid, monuments, your team, notes and events",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "show",
      description: "The map as an image, with a button per layer",
      options: [server, { type: ApplicationCommandOptionType.String, name: "layers", description: `e.g. "grid team" (${LAYERS.join(", ")}); default all but shops`, max_length: 100 }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "live",
      description: "Keep the map in the #events channel, updated while things move",
      options: [
        { type: ApplicationCommandOptionType.String, name: "state", description: "on or off", required: true, choices: [{ name: "on", value: "on" }, { name: "off", value: "off" }] },
        server,
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const serverId = z.string().regex(/^[a-z0-9]{1,40}$/, "Pick a server from the list.");
const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("show"), server: serverId, layers: z.string().max(100).optional() }),
  z.object({ subcommand: z.literal("live"), server: serverId, state: z.enum(["on", "off"], "Choose on or off.") }),
]);

export const mapCommand: SlashCommand = {
  data,
  ephemeral: false,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    if (opts.subcommand === "live") {
      const row = await requireOwnedServer(ctx.prisma, user, opts.server, { action: "keep its map in #events", from: "option" });
      const name = plain(serverLabel(row));
      if (opts.state === "off") {
        await ctx.liveMaps.set(row.id, row.userId, false);
        return { content: `The live map of **${name}** is off; its message was removed.`, ephemeral: true };
      }
      const target = await familyChannel(ctx.prisma, row.userId, "EVENTS");
      if ("reason" in target) {
        throw new UserError(target.reason === "family-off" ? "Event notifications are switched off: turn them on with `/setup families`, then try again." : "There is no #events channel for your notifications yet: run `/setup` in your team's Discord first.");
      }
      await ctx.liveMaps.set(row.id, row.userId, true);
      return { content: `The map of **${name}** will be kept in <#${target.channelId}>, updated at most every ${LIVE_MAP_EVERY_MS / 60_000} minutes while something on it changes. \`/map live state:off\` stops it.`, ephemeral: true };
    }
    const { server: row } = await serverAccess(ctx.prisma, user, opts.server);
    let layers = DEFAULT_LAYERS;
    if (opts.layers?.trim()) {
      const parsed = parseLayerNames(opts.layers);
      if ("unknown" in parsed) throw new UserError(`There is no layer \`${plain(parsed.unknown.slice(0, 30))}\`. Layers: ${LAYERS.join(", ")}.`);
      layers = parsed.layers;
    }
    const name = plain(serverLabel(row));
    ctx.maps.requireConnected(row.id, name);
    // Checks passed: the image's public "thinking…" goes up now, while it renders.
    await deferNow(interaction);
    return mapReply(row.id, name, layers, await ctx.maps.render(row.id, name, layers));
  },
  async autocomplete(interaction, focused, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user || focused.name !== "server") return [];
    return serverChoices(ctx.prisma, user, focused.value);
  },
};
