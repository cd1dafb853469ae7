// /billing — a link to the Stripe customer portal (change plan, update the card, invoices, cancel).
import {
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { createPortalSession } from "../src/billing/portal.ts";
import { TIER_LABELS } from "../src/billing/prices.ts";
import { requireStripe } from "../src/billing/require-stripe.ts";
import type { Reply, SlashCommand } from "../src/bot/types.ts";
import { requireLinkedUser } from "../src/identity/linked-user.ts";

const data = {
  name: "billing",
  description: "Manage your subscription: change plan, update your card, see invoices or cancel",
  type: ApplicationCommandType.ChatInput,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Discord's limit for a link button's URL; a longer one is sent as text. */
const MAX_BUTTON_URL = 512;

/** A private reply with one link: a button when the URL fits, else the URL in the text. */
export function linkReply(text: string, label: string, url: string): Reply {
  if (url.length > MAX_BUTTON_URL) return { content: `${text}\n${url}`, ephemeral: true };
  return {
    content: text,
    components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Link, label, url }] }],
    ephemeral: true,
  };
}

export const billing: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const stripe = requireStripe(ctx.config);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const url = await createPortalSession(stripe, ctx.prisma, ctx.config, { user });
    const sub = await ctx.prisma.subscription.findUnique({ where: { userId: user.id } });
    const plan = sub
      ? `Your plan: **${TIER_LABELS[sub.tier]}** (${sub.status.toLowerCase().replace("_", " ")}` +
        (sub.currentPeriodEnd ? `, ${sub.cancelAtPeriodEnd ? "ends" : "renews"} <t:${Math.floor(sub.currentPeriodEnd.getTime() / 1000)}:D>` : "") +
        ").\n"
      : "";
    return linkReply(`${plan}This link opens your billing page on Stripe; it works for a few minutes and only for you.`, "Manage billing", url);
  },
};
