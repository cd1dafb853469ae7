// /map — a paired server's map as an image: the server's own picture with the game's grid, monuments, the team,
// notes and live markers, with a button per layer under it.
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import { plain } from "../src/bot/plain-text.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { DEFAULT_LAYERS, LAYERS, parseLayerNames } from "../src/map/layers.ts";
import { mapReply } from "../src/map/map-reply.ts";
import { serverLabel } from "../src/pairing/server-card.ts";
import { serverAccess, serverChoices } from "../src/sharing/server-access.ts";

const data = {
  name: "map",
  description: "The server's map with the grid, monuments, your team, notes and events",
  type: ApplicationCommandType.ChatInput,
  options: [
    { type: ApplicationCommandOptionType.String, name: "server", description: "One of your paired servers", required: true, autocomplete: true },
    { type: ApplicationCommandOptionType.String, name: "layers", description: `Which layers, e.g. "grid team" (${LAYERS.join(", ")}); default all but shops`, max_length: 100 },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const options = z.object({
  server: z.string().regex(/^[a-z0-9]{1,40}$/, "Pick a server from the list."),
  layers: z.string().max(100).optional(),
});

export const mapCommand: SlashCommand = {
  data,
  deferAtOnce: true,
  ephemeral: false,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const { server } = await serverAccess(ctx.prisma, user, opts.server);
    let layers = DEFAULT_LAYERS;
    if (opts.layers?.trim()) {
      const parsed = parseLayerNames(opts.layers);
      if ("unknown" in parsed) throw new UserError(`There is no layer \`${plain(parsed.unknown.slice(0, 30))}\`. Layers: ${LAYERS.join(", ")}.`);
      layers = parsed.layers;
    }
    const name = plain(serverLabel(server));
    const rendered = await ctx.maps.render(server.id, name, layers);
    return mapReply(server.id, name, layers, rendered);
  },
  async autocomplete(interaction, focused, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user || focused.name !== "server") return [];
    return serverChoices(ctx.prisma, user, focused.value);
  },
};
