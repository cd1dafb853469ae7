// /subscribe tier — a Stripe Checkout link for a paid tier.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { z } from "zod";
import { createSubscriptionCheckout } from "../src/billing/checkout.ts";
import { PAID_TIERS, TIER_LABELS } from "../src/billing/prices.ts";
import { requireStripe } from "../src/billing/require-stripe.ts";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { requireLinkedUser } from "../src/identity/linked-user.ts";
import { linkReply } from "./billing.ts";

const data = {
  name: "subscribe",
  description: "Subscribe to a paid tier for higher limits",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: "tier",
      description: "The tier to subscribe to",
      required: true,
      choices: PAID_TIERS.map((tier) => ({ name: TIER_LABELS[tier], value: tier })),
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const options = z.object({ tier: z.enum(PAID_TIERS, { error: "Choose Operator or Overlord." }) });

export const subscribe: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const stripe = requireStripe(ctx.config);
    const { tier } = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const url = await createSubscriptionCheckout(stripe, ctx.prisma, ctx.config, { user, tier });
    return linkReply(
      `Subscribe to **${TIER_LABELS[tier]}** on Stripe's secure checkout. Your tier applies as soon as the payment goes through.`,
      `Subscribe to ${TIER_LABELS[tier]}`,
      url,
    );
  },
};
