// /shop — shop tracking (issue 16): where an item is sold now (vending markers), tracked items with alerts in
// #shop, the team's own vending machines (storage monitors), and an item's lowest price over this wipe.
// Each subcommand's work lives in src/shop/commands/<subcommand>.ts.
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { SlashCommand } from "../src/bot/types.ts";
import { findLinkedUser } from "../src/identity/linked-user.ts";
import { serverChoices } from "../src/sharing/server-access.ts";
import { itemChoices } from "../src/shop/commands/item-choices.ts";
import { shopSearch } from "../src/shop/commands/search.ts";
import { shopTrack, shopList, shopUntrack, trackedChoices } from "../src/shop/commands/track.ts";
import { shopMine, ownShopChoices } from "../src/shop/commands/mine.ts";
import { shopPrice } from "../src/shop/commands/price.ts";

const item = { type: ApplicationCommandOptionType.String, name: "item", description: "The item", required: true, autocomplete: true, max_length: 100 } as const;
const server = { type: ApplicationCommandOptionType.String, name: "server", description: "Which of your servers (default: your only or first one)", autocomplete: true } as const;
const currency = { type: ApplicationCommandOptionType.String, name: "currency", description: "Paid in this item (default: any; scrap with a max price)", autocomplete: true, max_length: 100 } as const;

const data = {
  name: "shop",
  description: "Vending machines: where an item is sold, tracked items, your own shops, prices this wipe",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "search",
      description: "Where an item is sold now (or bought, for it as currency), cheapest first",
      options: [
        item,
        { type: ApplicationCommandOptionType.String, name: "mode", description: "Sold for currency (default) or wanted as currency", choices: [{ name: "sell", value: "sell" }, { name: "buy", value: "buy" }] },
        server,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "track",
      description: "Alerts in #shop when the item is offered (at or under a price)",
      // Text, not a number: "0.5" scrap per item is a price, and a bad one gets a sentence, not Discord's refusal.
      options: [item, { type: ApplicationCommandOptionType.String, name: "max-price", description: "Highest price per item (e.g. 25 or 0.5)", max_length: 30 }, currency, server],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "list",
      description: "Your tracked items and where they are offered now",
      options: [server, { type: ApplicationCommandOptionType.Integer, name: "page", description: "Which page of a long list (default: the first)", min_value: 1, max_value: 100 }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "untrack",
      description: "Stop tracking an item",
      options: [{ type: ApplicationCommandOptionType.String, name: "tracked", description: "The tracked item", required: true, autocomplete: true, max_length: 100 }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "mine",
      description: "Your own vending machines (storage monitors on them): stock and sales",
      options: [server, { type: ApplicationCommandOptionType.String, name: "shop", description: "One of your shops (default: all)", autocomplete: true, max_length: 100 }],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: "price", description: "An item's lowest listed price per hour this wipe, as a chart", options: [item, currency, server] },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const shopCommand: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    switch (interaction.options.getSubcommand()) {
      case "search":
        return shopSearch(interaction, ctx);
      case "track":
        return shopTrack(interaction, ctx);
      case "list":
        return shopList(interaction, ctx);
      case "untrack":
        return shopUntrack(interaction, ctx);
      case "mine":
        return shopMine(interaction, ctx);
      default:
        return shopPrice(interaction, ctx);
    }
  },
  async autocomplete(interaction, focused, ctx) {
    if (focused.name === "item" || focused.name === "currency") return itemChoices(ctx.prisma, focused.value);
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user) return [];
    if (focused.name === "server") return serverChoices(ctx.prisma, user, focused.value);
    if (focused.name === "tracked") return trackedChoices(ctx.prisma, user, focused.value);
    if (focused.name === "shop") return ownShopChoices(ctx.prisma, user, focused.value);
    return [];
  },
};
