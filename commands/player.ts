// /player — player intel on a paired server: who is online (search), one player's names, times and activity
// heatmap (info), and the team's own notes on players: note, tag, track/untrack, link-steam. The owner and the
// guests of the paired server use it all; notes are per paired server, so each team sees only its own.
import { ApplicationCommandOptionType, ApplicationCommandType, AttachmentBuilder, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import { battlemetricsInfoLines, steamIdFromBattleMetrics } from "../src/intel/player/battlemetrics.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { NOTE_TEXT_MAX, parseNoteText, parseSteamId, parseTag, TAG_MAX } from "../src/intel/player/fields.ts";
import { HEATMAP_FILE_NAME, playerInfo } from "../src/intel/player/info.ts";
import { playerChoices, tagChoices } from "../src/intel/player/player-choices.ts";
import { battlemetricsIdOf, linkSteam, setPlayerNote, tagPlayer, trackPlayer } from "../src/intel/player/player-notes.ts";
import { findPlayer, intelTarget } from "../src/intel/player/player-target.ts";
import { searchPlayers } from "../src/intel/player/search.ts";
import { timeZoneChoices, viewerTimeZone } from "../src/intel/player/time-zone.ts";
import { serverChoices } from "../src/sharing/server-access.ts";

const STRING = ApplicationCommandOptionType.String;
const server = { type: STRING, name: "server", description: "Which server (needed when you have several)", autocomplete: true } as const;
const player = { type: STRING, name: "player", description: "A player seen on the server (type to search)", required: true, autocomplete: true, max_length: 100 } as const;

const data = {
  name: "player",
  description: "Player intel: who is online, a player's activity, your team's notes and tags on players",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "search",
      description: "Who is online now, or players seen on the server whose name matches",
      options: [{ type: STRING, name: "name", description: "Part of a name: players seen matching it, online or not", max_length: 64 }, server],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "info",
      description: "A player's names, first and last seen, time online this wipe and an activity heatmap",
      options: [
        player,
        { type: STRING, name: "timezone", description: "Your time zone for the heatmap, e.g. Europe/Berlin (remembered)", autocomplete: true, max_length: 64 },
        server,
        { type: ApplicationCommandOptionType.Boolean, name: "battlemetrics", description: "Also BattleMetrics' names and first/last seen (one look-up: daily quota, then a credit)" },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "note",
      description: "Your team's note on a player (`-` clears it)",
      options: [player, { type: STRING, name: "text", description: "What to remember about them", required: true, max_length: NOTE_TEXT_MAX }, server],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "tag",
      description: "Add or remove a tag on a player (watchlists filter by tags)",
      options: [
        player,
        { type: STRING, name: "action", description: "Add or remove", required: true, choices: [{ name: "add", value: "add" }, { name: "remove", value: "remove" }] },
        { type: STRING, name: "tag", description: "Lowercase letters, digits, - and _ (e.g. raider)", required: true, autocomplete: true, max_length: TAG_MAX },
        server,
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: "track", description: "Track a player (counts against your tier's tracked players)", options: [player, server] },
    { type: ApplicationCommandOptionType.Subcommand, name: "untrack", description: "Stop tracking a player", options: [player, server] },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "link-steam",
      description: "Bind a player to their Steam id by hand, or without steamid: from BattleMetrics (charged look-ups)",
      options: [player, { type: STRING, name: "steamid", description: "Their 17-digit SteamID64 (7656119…)", max_length: 32 }, server],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const serverId = z.string().regex(/^[a-z0-9]{1,40}$/, "Pick a server from the list.").optional();
const name = z.string().max(100);
const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("search"), name: z.string().max(1000).optional(), server: serverId }),
  z.object({ subcommand: z.literal("info"), player: name, timezone: z.string().max(1000).optional(), server: serverId, battlemetrics: z.boolean().optional() }),
  z.object({ subcommand: z.literal("note"), player: name, text: z.string(), server: serverId }),
  z.object({ subcommand: z.literal("tag"), player: name, action: z.enum(["add", "remove"], "Pick add or remove."), tag: z.string().max(1000), server: serverId }),
  z.object({ subcommand: z.enum(["track", "untrack"]), player: name, server: serverId }),
  z.object({ subcommand: z.literal("link-steam"), player: name, steamid: z.string().max(1000).optional(), server: serverId }),
]);

export const playerCommand: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const deps = { prisma: ctx.prisma, config: ctx.config };
    const bmDeps = { prisma: ctx.prisma, battlemetrics: ctx.battlemetrics, charge: ctx.chargeLookup };
    // Inputs are checked before anything is read, so bad input never half-happens.
    if (opts.subcommand === "search") {
      const target = await intelTarget(ctx.prisma, user, opts.server);
      return { content: await searchPlayers(ctx.prisma, target, opts.name, new Date(), target.intel ? ctx.intel.listTooFastSince(target.intel.id) : undefined), ephemeral: true };
    }
    const text = opts.subcommand === "note" ? parseNoteText(opts.text) : undefined;
    const tag = opts.subcommand === "tag" ? parseTag(opts.tag) : undefined;
    const steamId = opts.subcommand === "link-steam" && opts.steamid !== undefined ? parseSteamId(opts.steamid) : undefined;
    const target = await findPlayer(ctx.prisma, await intelTarget(ctx.prisma, user, opts.server), opts.player);
    switch (opts.subcommand) {
      case "info": {
        const zone = await viewerTimeZone(ctx.prisma, user, opts.timezone);
        const extra = opts.battlemetrics ? await battlemetricsInfoLines(bmDeps, target, user.id) : [];
        const info = await playerInfo(ctx.prisma, target, zone, extra);
        return { content: info.content, ...(info.png && { files: [new AttachmentBuilder(info.png, { name: HEATMAP_FILE_NAME })] }), ephemeral: true };
      }
      case "note":
        return { content: await setPlayerNote(deps, target, user.id, text ?? null), ephemeral: true };
      case "tag":
        return { content: await tagPlayer(deps, target, user.id, opts.action, tag!), ephemeral: true };
      case "track":
      case "untrack":
        return { content: await trackPlayer(deps, target, user.id, opts.subcommand === "track"), ephemeral: true };
      case "link-steam": {
        const bound = steamId ? { steamId, battlemetricsPlayerId: await battlemetricsIdOf(ctx.prisma, target), source: "manual" as const } : await steamIdFromBattleMetrics(bmDeps, target, user.id);
        return { content: await linkSteam(deps, target, user.id, bound), ephemeral: true };
      }
    }
  },
  async autocomplete(interaction, focused, ctx) {
    if (focused.name === "timezone") return timeZoneChoices(focused.value);
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user) return [];
    if (focused.name === "server") return serverChoices(ctx.prisma, user, focused.value);
    const chosen = interaction.options.getString("server") ?? undefined;
    let target;
    try {
      target = await intelTarget(ctx.prisma, user, chosen && /^[a-z0-9]{1,40}$/.test(chosen) ? chosen : undefined);
    } catch (err) {
      if (err instanceof UserError) return [];
      throw err;
    }
    if (focused.name === "player") return playerChoices(ctx.prisma, target, focused.value);
    if (focused.name === "tag") return tagChoices(ctx.prisma, target.server.id, focused.value);
    return [];
  },
};
