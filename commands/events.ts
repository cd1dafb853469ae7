// /events — which map events a paired server posts (cargo, heli, Chinook, oil rigs, vendor, vending machines).
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { EVENT_GROUPS, type EventGroup } from "../src/events/event-groups.ts";
import { KIND_OF_GROUP, notReported, storedKinds } from "../src/events/watched-kinds.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { serverLabel } from "../src/pairing/server-card.ts";
import { serverAccess, serverChoices } from "../src/sharing/server-access.ts";
import { plain } from "../src/bot/plain-text.ts";

const server = { type: ApplicationCommandOptionType.String, name: "server", description: "One of your paired servers", required: true, autocomplete: true } as const;
const GROUPS = Object.keys(EVENT_GROUPS) as [EventGroup, ...EventGroup[]];

const data = {
  name: "events",
  description: "Which map events a server posts to the events channel",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "set",
      description: "Post one kind of map event, or not",
      options: [
        server,
        { type: ApplicationCommandOptionType.String, name: "event", description: "Which events", required: true, choices: GROUPS.map((g) => ({ name: EVENT_GROUPS[g], value: g })) },
        { type: ApplicationCommandOptionType.Boolean, name: "post", description: "Post them (true) or keep quiet (false)", required: true },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: "show", description: "Which map events this server posts", options: [server] },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const serverId = z.string().regex(/^[a-z0-9]{1,40}$/, "Pick a server from the list.");
const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("set"), server: serverId, event: z.enum(GROUPS, "Pick an event from the list."), post: z.boolean() }),
  z.object({ subcommand: z.literal("show"), server: serverId }),
]);

export const eventsCommand: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const { server: row, role } = await serverAccess(ctx.prisma, user, opts.server);
    const name = plain(serverLabel(row));
    if (opts.subcommand === "show") {
      // Kinds the bot found this server does not send: their events never come, whatever the switch says.
      const unreported = storedKinds(row.unreportedMarkers);
      const lines = GROUPS.map((g) => {
        const kind = KIND_OF_GROUP[g];
        return `${row.mutedMapEvents.includes(g) ? "🔕" : "🔔"} ${EVENT_GROUPS[g]}${unreported.includes(kind) ? `: ${notReported([kind])}` : ""}`;
      });
      return { content: `**${name}** map events:\n${lines.join("\n")}`, ephemeral: true };
    }
    if (role !== "owner") throw new UserError(`Only the player who paired **${name}** can choose its map events. Ask them to.`);
    const muted = new Set(row.mutedMapEvents.filter((g) => g in EVENT_GROUPS));
    if (opts.post) muted.delete(opts.event);
    else muted.add(opts.event);
    await ctx.prisma.pairedServer.update({ where: { id: row.id }, data: { mutedMapEvents: [...muted] } });
    return { content: `${EVENT_GROUPS[opts.event]}: ${opts.post ? "posted" : "not posted"} for ${name} from now on.`, ephemeral: true };
  },
  async autocomplete(interaction, focused, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user || focused.name !== "server") return [];
    return serverChoices(ctx.prisma, user, focused.value);
  },
};
