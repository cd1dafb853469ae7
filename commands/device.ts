// /device — the smart devices paired in game: list them, rename or remove one. Switching is on the cards.
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { allowance } from "../src/billing/entitlements.ts";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import type { PairedServer, PrismaClient, User } from "../src/generated/prisma/client.ts";
import { accessibleDevices, PAIR_A_DEVICE } from "../src/devices/device-access.ts";
import { deviceState, KIND_LABELS } from "../src/devices/device-card.ts";
import { setCustomCommand } from "../src/devices/custom-command.ts";
import { removeDevice, renameDevice } from "../src/devices/device-control.ts";
import { MAP_COMMANDS } from "../src/events/ingame-commands.ts";
import { BUILT_IN_COMMANDS } from "../src/ingame/commands/index.ts";
import { NOTE_COMMAND_NAMES } from "../src/notes/ingame-command.ts";
import { UserError } from "../src/errors.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { serverLabel } from "../src/pairing/server-card.ts";
import { PAIR_A_SERVER, serverCounts } from "../src/sharing/access-answers.ts";
import { serverAccess, serverChoices } from "../src/sharing/server-access.ts";
import { plain } from "../src/bot/plain-text.ts";
import { listContent } from "../src/bot/list-reply.ts";

const device = { type: ApplicationCommandOptionType.String, name: "device", description: "A smart device (type to search by name)", required: true, autocomplete: true } as const;

const data = {
  name: "device",
  description: "Smart switches, alarms and storage monitors paired in game",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "list",
      description: "Your devices and the ones shared with you, with their state",
      options: [{ type: ApplicationCommandOptionType.String, name: "server", description: "Only this server's devices", autocomplete: true }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "rename",
      description: "Give a device a name of your own",
      options: [device, { type: ApplicationCommandOptionType.String, name: "name", description: "The new name", required: true, min_length: 1, max_length: 60 }],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: "remove", description: "Forget a device and take its card away", options: [device] },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "command",
      description: "An in-game team-chat command for a device (e.g. door → !door toggles a switch); empty clears it",
      options: [device, { type: ApplicationCommandOptionType.String, name: "name", description: "One word, e.g. door", min_length: 1, max_length: 25 }],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const pick = (what: string) => z.string().regex(/^[a-z0-9]{1,40}$/, `Pick a ${what} from the list.`);
const name = z
  .string()
  .trim()
  .min(1, "Give the device a name.")
  .max(60, "Keep the name to 60 characters.")
  .refine((v) => !/[\p{Cc}\p{Cf}]/u.test(v), "The name cannot contain control characters.");
const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("list"), server: pick("server").optional() }),
  z.object({ subcommand: z.literal("rename"), device: pick("device"), name }),
  z.object({ subcommand: z.literal("remove"), device: pick("device") }),
  z.object({ subcommand: z.literal("command"), device: pick("device"), name: z.string().trim().max(25).optional() }),
]);

/** Names every server answers already: a device command may not shadow them. */
const RESERVED = new Set([...[...BUILT_IN_COMMANDS, ...MAP_COMMANDS].flatMap((c) => [c.name, ...(c.aliases ?? [])]), ...NOTE_COMMAND_NAMES]);

const ICONS = { SWITCH: "💡", ALARM: "🚨", STORAGE_MONITOR: "📦", CAMERA: "📷" } as const;

/** Why /device list is empty: no server to pair devices through yet, or none paired on it (or on any) yet. */
async function noDevicesAnswer(prisma: PrismaClient, user: Pick<User, "id" | "steamId">, only: PairedServer | undefined): Promise<string> {
  if (only) return `No smart devices on **${plain(serverLabel(only))}** yet. ${PAIR_A_DEVICE}`;
  const { owned, shared } = await serverCounts(prisma, user);
  if (owned + shared === 0) {
    return `No smart devices yet, and none can be paired before their server is. First ${PAIR_A_SERVER}; then pair devices in game. Or ask a teammate to share their server with you (they run \`/share add\`).`;
  }
  return `No smart devices yet. ${PAIR_A_DEVICE}`;
}

export const deviceCommand: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const deps = { prisma: ctx.prisma, rest: interaction.client.rest, logger: ctx.logger };
    if (opts.subcommand === "rename") return { content: await renameDevice(deps, user, opts.device, opts.name), ephemeral: true };
    if (opts.subcommand === "remove") return { content: await removeDevice(deps, user, opts.device), ephemeral: true };
    if (opts.subcommand === "command") return { content: await setCustomCommand(ctx.prisma, user, opts.device, opts.name || undefined, RESERVED), ephemeral: true };

    const only = opts.server ? (await serverAccess(ctx.prisma, user, opts.server)).server : undefined;
    // Both read at once: the count is wasted only when the list is empty.
    const [devices, used] = await Promise.all([
      accessibleDevices(ctx.prisma, user, { ...(only && { serverId: only.id }), take: 100 }),
      allowance(ctx.prisma, ctx.config, user, "smartDevices"),
    ]);
    if (!devices.length) throw new UserError(await noDevicesAnswer(ctx.prisma, user, only));
    const lines = devices.map(
      (d) => `${ICONS[d.kind]} **${plain(d.name)}** — ${KIND_LABELS[d.kind].toLowerCase()}, ${deviceState(d)} · ${plain(serverLabel(d.pairedServer))}${d.pairedServer.userId === user.id ? "" : " (shared with you)"}`,
    );
    const tail = `\nYour devices: ${used.used} of ${used.limit} (${used.tier} tier).`;
    return { content: listContent({ lines, tail, narrow: "narrow it with `server:`" }), ephemeral: true };
  },
  async autocomplete(interaction, focused, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user) return [];
    const search = focused.value.slice(0, 100);
    if (focused.name === "server") {
      return serverChoices(ctx.prisma, user, search);
    }
    if (focused.name !== "device") return [];
    const ownedOnly = interaction.options.getSubcommand(false) !== "list";
    const devices = await accessibleDevices(ctx.prisma, user, { search, ownedOnly });
    return devices.map((d) => ({ name: `${d.name} — ${KIND_LABELS[d.kind].toLowerCase()} on ${serverLabel(d.pairedServer)}`, value: d.id }));
  },
};
