// /admin — operators (ADMIN_STEAM_IDS): beta testers, ContentStore entries, the item catalog and conveyor names.
import { ApplicationCommandOptionType, AttachmentBuilder, ApplicationCommandType, PermissionFlagsBits, time, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { grantBeta, isAdmin, listBeta, revokeBeta } from "../src/admin/beta-testers.ts";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { readContentEntry } from "../src/content/read-content.ts";
import { CONTENT_KEYS, isContentKey } from "../src/content/schemas.ts";
import { setContent } from "../src/content/write-content.ts";
import { UserError } from "../src/errors.ts";
import { requireLinkedUser } from "../src/identity/linked-user.ts";
import { ITEM_CATEGORIES } from "../src/tools/items/item-schema.ts";
import { importConveyorShortnames, parseItem, parseItemList, saveItems, setConveyorShortname } from "../src/tools/items/write-items.ts";
import { listContent } from "../src/bot/list-reply.ts";

const contentKeyOption = { type: ApplicationCommandOptionType.String, name: "key", description: "Content key", required: true, choices: CONTENT_KEYS.map((k) => ({ name: k, value: k })) } as const;
const itemIdOption = { type: ApplicationCommandOptionType.Integer, name: "id", description: "Numeric item id (as Rust+ sends it)", required: true, min_value: -2147483648, max_value: 2147483647 } as const;
const jsonOption = (description: string) => ({ type: ApplicationCommandOptionType.String, name: "json", description, required: true, max_length: 6000 }) as const;
const steamIdOption = { type: ApplicationCommandOptionType.String, name: "steam_id", description: "17-digit Steam id", required: true, min_length: 17, max_length: 17 } as const;

const data = {
  name: "admin",
  description: "Operator tools",
  type: ApplicationCommandType.ChatInput,
  default_member_permissions: String(PermissionFlagsBits.Administrator),
  options: [
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: "beta",
      description: "Beta testers",
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: "grant",
          description: "Give a Steam account a tier",
          options: [
            steamIdOption,
            { type: ApplicationCommandOptionType.String, name: "tier", description: "Tier", required: true, choices: [{ name: "Operator", value: "OPERATOR" }, { name: "Overlord", value: "OVERLORD" }] },
            { type: ApplicationCommandOptionType.Integer, name: "days", description: "How long (empty: until revoked)", min_value: 1, max_value: 3650 },
            { type: ApplicationCommandOptionType.String, name: "note", description: "Why", max_length: 200 },
          ],
        },
        { type: ApplicationCommandOptionType.Subcommand, name: "revoke", description: "End a beta grant", options: [steamIdOption] },
        { type: ApplicationCommandOptionType.Subcommand, name: "list", description: "Active beta grants" },
      ],
    },
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: "content",
      description: "FAQ, recipes, raid table and bot messages",
      options: [
        { type: ApplicationCommandOptionType.Subcommand, name: "set", description: "Replace a content entry (validated first)", options: [contentKeyOption, jsonOption("The whole value as JSON")] },
        { type: ApplicationCommandOptionType.Subcommand, name: "show", description: "A content entry's version and value", options: [contentKeyOption] },
      ],
    },
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: "item",
      description: "The item catalog",
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: "set",
          description: "Add or edit an item",
          options: [
            itemIdOption,
            { type: ApplicationCommandOptionType.String, name: "shortname", description: "e.g. ammo.rocket.basic", required: true, max_length: 64 },
            { type: ApplicationCommandOptionType.String, name: "name", description: "Display name", required: true, max_length: 100 },
            { type: ApplicationCommandOptionType.String, name: "category", description: "Game category", required: true, choices: ITEM_CATEGORIES.map((c) => ({ name: c, value: c })) },
            { type: ApplicationCommandOptionType.Integer, name: "stack_size", description: "Stack size", required: true, min_value: 1, max_value: 1000000 },
          ],
        },
        { type: ApplicationCommandOptionType.Subcommand, name: "import", description: "Add or edit many items from a JSON list", options: [jsonOption("[{id, shortname, name, category, stackSize}, …]")] },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: "conveyor",
          description: "The name a conveyor filter uses for an item",
          options: [
            { type: ApplicationCommandOptionType.String, name: "shortname", description: "The conveyor's name", required: true, max_length: 64 },
            { ...itemIdOption, name: "item_id", description: "The catalog item's id" },
          ],
        },
        { type: ApplicationCommandOptionType.Subcommand, name: "conveyor-import", description: "Many conveyor names at once", options: [jsonOption('{"conveyor name": itemId, …}')] },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const steamId = z.string().regex(/^7656\d{13}$/, "That is not a 17-digit Steam id (7656…).");
const options = z.union([
  z.object({ subcommand: z.literal("grant"), steam_id: steamId, tier: z.enum(["OPERATOR", "OVERLORD"]), days: z.number().int().min(1).max(3650).optional(), note: z.string().max(200).optional() }),
  z.object({ subcommand: z.literal("revoke"), steam_id: steamId }),
  z.object({ subcommand: z.literal("list"), group: z.literal("beta") }),
  z.object({ subcommand: z.literal("show"), key: z.string() }),
  z.object({ subcommand: z.literal("set"), group: z.literal("content"), key: z.string(), json: z.string() }),
  z.object({ subcommand: z.literal("set"), group: z.literal("item"), id: z.number(), shortname: z.string(), name: z.string(), category: z.string(), stack_size: z.number() }),
  z.object({ subcommand: z.literal("import"), json: z.string() }),
  z.object({ subcommand: z.literal("conveyor"), shortname: z.string(), item_id: z.number() }),
  z.object({ subcommand: z.literal("conveyor-import"), json: z.string() }),
]);

export const admin: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    if (!isAdmin(ctx.config.ADMIN_STEAM_IDS, user)) throw new UserError("This command is for the bot's operators.");
    const opts = parseOptions(interaction, options);
    const actor = { user };
    switch (opts.subcommand) {
      case "grant": {
        const row = await grantBeta(ctx.prisma, actor, { steamId: opts.steam_id, tier: opts.tier, days: opts.days, note: opts.note });
        return { content: `${row.steamId} has ${row.tier} ${row.expiresAt ? `until ${time(row.expiresAt, "D")}` : "until revoked"}.`, ephemeral: true };
      }
      case "revoke":
        await revokeBeta(ctx.prisma, actor, opts.steam_id);
        return { content: `Beta grant of ${opts.steam_id} revoked.`, ephemeral: true };
      case "list": {
        const rows = await listBeta(ctx.prisma);
        const lines = rows.map((r) => `${r.steamId} — ${r.tier}${r.expiresAt ? `, until ${time(r.expiresAt, "D")}` : ""}${r.note ? ` (${r.note})` : ""}`);
        return { content: lines.length ? listContent({ lines }) : "No active beta grants.", ephemeral: true };
      }
      case "show": {
        if (!isContentKey(opts.key)) throw new UserError("Unknown content key.");
        const entry = await readContentEntry(ctx.prisma, opts.key, ctx.logger);
        const json = JSON.stringify(entry.value, null, 1);
        return {
          content: `**${opts.key}** ${entry.version ? `version ${entry.version}` : "(seed file, not stored yet)"}, ${json.length.toLocaleString("en-US")} characters.`,
          files: [new AttachmentBuilder(Buffer.from(json), { name: `${opts.key}.json` })],
          ephemeral: true,
        };
      }
      case "set": {
        if (opts.group === "content") {
          const version = await setContent(ctx.prisma, actor, opts.key, opts.json);
          return { content: `Saved **${opts.key}**, version ${version}.`, ephemeral: true };
        }
        const item = parseItem({ id: opts.id, shortname: opts.shortname, name: opts.name, category: opts.category, stackSize: opts.stack_size });
        const { added } = await saveItems(ctx.prisma, actor, [item], "item.set");
        return { content: `${added ? "Added" : "Saved"} ${item.name} (\`${item.shortname}\`, id ${item.id}).`, ephemeral: true };
      }
      case "import": {
        const { added, edited } = await saveItems(ctx.prisma, actor, parseItemList(opts.json), "item.import");
        return { content: `Imported: ${added} added, ${edited} edited.`, ephemeral: true };
      }
      case "conveyor": {
        const item = await setConveyorShortname(ctx.prisma, actor, { shortname: opts.shortname, itemId: opts.item_id });
        return { content: `Conveyor name \`${opts.shortname.trim().toLowerCase()}\` → ${item.name} (\`${item.shortname}\`).`, ephemeral: true };
      }
      case "conveyor-import": {
        const count = await importConveyorShortnames(ctx.prisma, actor, opts.json);
        return { content: `Imported ${count} conveyor name${count === 1 ? "" : "s"}.`, ephemeral: true };
      }
    }
  },
};
