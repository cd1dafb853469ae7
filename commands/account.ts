// /account — tier, subscription, limits and usage, credits, linked Steam id.
import { ApplicationCommandType, time, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { SlashCommand } from "../src/bot/types.ts";
import { billingEnabled } from "../src/billing/billing-mode.ts";
import { tierFor, usage } from "../src/billing/entitlements.ts";
import { LIMIT_KEYS, LIMIT_LABELS } from "../src/billing/tiers.ts";
import { requireLinkedUser } from "../src/identity/linked-user.ts";

const data = {
  name: "account",
  description: "Your tier, limits, usage and credits",
  type: ApplicationCommandType.ChatInput,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const SOURCE = { subscription: "subscription", beta: "beta grant", free: "free tier", "self-hosted": "self-hosted" } as const;

export const account: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const [tier, sub, credit] = await Promise.all([
      tierFor(ctx.prisma, ctx.config, user),
      ctx.prisma.subscription.findUnique({ where: { userId: user.id } }),
      ctx.prisma.credit.findUnique({ where: { userId: user.id } }),
    ]);
    const limits = ctx.config.TIER_LIMITS[tier.tier];
    const lines = await Promise.all(
      LIMIT_KEYS.filter((k) => k !== "guestsPerServer" && k !== "mapNotesPerServer").map(async (key) => `${LIMIT_LABELS[key]}: ${await usage(ctx.prisma, user.id, key)} of ${limits[key]}`),
    );
    lines.push(`${LIMIT_LABELS.guestsPerServer}: up to ${limits.guestsPerServer}`);
    lines.push(`${LIMIT_LABELS.mapNotesPerServer}: up to ${limits.mapNotesPerServer}`);
    const billing = billingEnabled(ctx.config);
    const status = !billing
      ? "billing not enabled on this bot"
      : sub
      ? `${sub.status.toLowerCase().replace("_", " ")}${sub.currentPeriodEnd ? `, ${sub.cancelAtPeriodEnd ? "ends" : "renews"} ${time(sub.currentPeriodEnd, "D")}` : ""}`
      : "none";
    return {
      embeds: [
        {
          title: `${tier.tier} (${SOURCE[tier.source]})`,
          ...(!billing && {
            description:
              tier.source === "self-hosted"
                ? "This bot is self-hosted without billing: every user has the tier its operator set (SELF_HOSTED_TIER)."
                : "This bot is self-hosted without billing; your beta grant is above the tier its operator set (SELF_HOSTED_TIER).",
          }),
          fields: [
            { name: "Steam account", value: user.steamId, inline: true },
            { name: "Subscription", value: status, inline: true },
            { name: "Credits", value: String(credit?.balance ?? 0), inline: true },
            { name: "Limits and usage", value: lines.join("\n") },
          ],
        },
      ],
      ephemeral: true,
    };
  },
};
