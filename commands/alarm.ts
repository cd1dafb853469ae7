// /alarm — whom alarms and raid warnings mention: a role per server, or per alarm.
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { listAlarmRoles, setAlarmRole } from "../src/alarms/alarm-roles.ts";
import { requireMentionRole } from "../src/bot/mention-role.ts";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { serverChoices } from "../src/sharing/server-access.ts";

const server = { type: ApplicationCommandOptionType.String, name: "server", description: "One of your paired servers", required: true, autocomplete: true } as const;
const alarm = { type: ApplicationCommandOptionType.String, name: "alarm", description: "Only this smart alarm (default: the whole server)", autocomplete: true } as const;

const data = {
  name: "alarm",
  description: "Who alarms and raid warnings mention",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "notify",
      description: "Mention a role when an alarm triggers",
      options: [server, { type: ApplicationCommandOptionType.Role, name: "role", description: "The role to mention", required: true }, alarm],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: "quiet", description: "Mention nobody (or, for one alarm, the server's role)", options: [server, alarm] },
    { type: ApplicationCommandOptionType.Subcommand, name: "list", description: "The roles the server and each alarm mention", options: [server] },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const pick = (what: string) => z.string().regex(/^[a-z0-9]{1,40}$/, `Pick ${what} from the list.`);
const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("notify"), server: pick("a server"), role: z.string().regex(/^\d{17,20}$/, "Pick a role."), alarm: pick("an alarm").optional() }),
  z.object({ subcommand: z.literal("quiet"), server: pick("a server"), alarm: pick("an alarm").optional() }),
  z.object({ subcommand: z.literal("list"), server: pick("a server") }),
]);

export const alarmCommand: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    if (opts.subcommand === "list") return { content: await listAlarmRoles(ctx.prisma, user, opts.server), ephemeral: true };
    const role = opts.subcommand === "notify" ? await requireMentionRole(interaction, ctx.prisma, user.id) : null;
    const text = await setAlarmRole(ctx.prisma, user, opts.server, opts.alarm, role);
    return { content: text, ephemeral: true };
  },
  async autocomplete(interaction, focused, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user) return [];
    if (focused.name === "server") {
      return serverChoices(ctx.prisma, user, focused.value, { ownedOnly: true });
    }
    if (focused.name !== "alarm") return [];
    const serverId = interaction.options.getString("server") ?? "";
    const alarms = await ctx.prisma.smartDevice.findMany({
      where: { kind: "ALARM", pairedServer: { id: serverId, userId: user.id }, name: { contains: focused.value.slice(0, 100), mode: "insensitive" } },
      orderBy: { name: "asc" },
      take: 25,
    });
    return alarms.map((a) => ({ name: a.name, value: a.id }));
  },
};
