// /credits buy pack — a Stripe Checkout link for a credit pack; /credits balance — the balance, today's
// BattleMetrics look-ups against the quota, and the latest ledger entries (also on a self-hosted bot).
// Packs come from STRIPE_CREDIT_PACKS, so the option is autocompleted rather than a fixed choice list.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { z } from "zod";
import { createCreditsCheckout } from "../src/billing/checkout.ts";
import { creditStatement, STATEMENT_ENTRIES } from "../src/billing/credit-statement.ts";
import { recentLedger } from "../src/billing/credits.ts";
import { lookupStatus } from "../src/billing/lookup-charge.ts";
import { findPack } from "../src/billing/prices.ts";
import { requireStripe } from "../src/billing/require-stripe.ts";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { requireLinkedUser } from "../src/identity/linked-user.ts";
import { linkReply } from "./billing.ts";

const data = {
  name: "credits",
  description: "Credits pay for BattleMetrics lookups beyond your daily quota",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "buy",
      description: "Buy a pack of credits",
      options: [{ type: ApplicationCommandOptionType.String, name: "pack", description: "The pack to buy", required: true, autocomplete: true, max_length: 30 }],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: "balance", description: "Your credits, today's BattleMetrics look-ups and recent credit changes" },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("buy"), pack: z.string().trim().min(1) }),
  z.object({ subcommand: z.literal("balance") }),
]);

export const credits: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    if (opts.subcommand === "balance") {
      // Self-hosted too: credits are still spent beyond the quota (starting credits), only not sold.
      const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
      const [status, entries] = await Promise.all([lookupStatus(ctx.prisma, ctx.config, user), recentLedger(ctx.prisma, user.id, STATEMENT_ENTRIES)]);
      return { content: creditStatement(status, entries), ephemeral: true };
    }
    const stripe = requireStripe(ctx.config);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const url = await createCreditsCheckout(stripe, ctx.prisma, ctx.config, { user, pack: opts.pack });
    const pack = findPack(ctx.config, opts.pack);
    return linkReply(`Buy **${pack?.credits ?? ""} credits** (${opts.pack}) on Stripe's secure checkout. They are added as soon as the payment goes through.`, "Buy credits", url);
  },
  async autocomplete(_interaction, focused, ctx) {
    if (focused.name !== "pack") return [];
    const typed = focused.value.trim().toLowerCase();
    return ctx.config.STRIPE_CREDIT_PACKS.filter((pack) => pack.name.includes(typed))
      .slice(0, 25)
      .map((pack) => ({ name: `${pack.name} — ${pack.credits} credits`, value: pack.name }));
  },
};
