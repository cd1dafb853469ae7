// /faq: a topic's answer, and the topics for autocomplete.
import type { APIEmbed, ApplicationCommandOptionChoiceData } from "discord.js";
import { UserError } from "../errors.ts";
import type { Faq } from "./schemas.ts";
import { listContent } from "../bot/list-reply.ts";

export function faqEmbed(faq: Faq, topic: string | undefined): APIEmbed {
  if (topic === undefined) return { title: "FAQ", description: listContent({ lines: faq.topics.map((t) => `• ${t.title}`), max: 4_000, narrow: "type in `topic:` to search" }), footer: { text: "/faq topic:<…> for an answer" } };
  const q = topic.trim().toLowerCase();
  const found = faq.topics.find((t) => t.id === q) ?? faq.topics.find((t) => t.title.toLowerCase() === q);
  if (!found) throw new UserError("No FAQ topic by that name. Pick one from the list.");
  return { title: found.title, description: found.answer };
}

export function faqChoices(faq: Faq, typed: string): ApplicationCommandOptionChoiceData[] {
  const q = typed.trim().toLowerCase();
  return faq.topics.filter((t) => !q || t.title.toLowerCase().includes(q) || t.id.includes(q)).map((t) => ({ name: t.title, value: t.id }));
}
