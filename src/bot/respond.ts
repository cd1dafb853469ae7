// Sends a handler's result the right way for the interaction's state: reply, edit after a defer, update
// the component's message, or show a modal. Every payload is fitted to Discord's limits on the way out.
import {
  MessageFlags,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
} from "discord.js";
import { fitMessage, fitModal } from "./fit-payload.ts";
import type { ComponentInteraction, ComponentResult, Reply } from "./types.ts";

export type RepliableInteraction = ChatInputCommandInteraction | ComponentInteraction;

/** How the interaction was acknowledged by the auto-defer guard, if it was. */
export type DeferState = "none" | "reply" | "reply-ephemeral" | "update";

/** The reply as discord.js options, fitted to Discord's limits (long names and lists are cut, never refused). */
function message(original: Reply): InteractionEditReplyOptions {
  const reply = fitMessage(original);
  return {
    ...(reply.content !== undefined && { content: reply.content }),
    ...(reply.embeds && { embeds: reply.embeds }),
    ...(reply.components && { components: reply.components }),
    ...(reply.files && { files: reply.files }),
    allowedMentions: { parse: [] },
  };
}

function withFlags(reply: Reply): InteractionReplyOptions {
  return { ...(message(reply) as InteractionReplyOptions), ...(reply.ephemeral && { flags: MessageFlags.Ephemeral }) };
}

export async function sendResult(
  interaction: RepliableInteraction,
  result: ComponentResult,
  deferred: DeferState,
): Promise<void> {
  if ("modal" in result) {
    if (deferred !== "none" || interaction.isModalSubmit()) throw new Error("a modal can only answer a fresh command or component");
    await interaction.showModal(fitModal(result.modal));
    return;
  }
  if ("update" in result) {
    if (interaction.isChatInputCommand()) throw new Error("a slash command has no message to update");
    if (deferred === "update") await interaction.editReply(message(result.update));
    else if (interaction.isModalSubmit() && !interaction.isFromMessage()) await interaction.reply(withFlags(result.update));
    else if (interaction.isModalSubmit() && interaction.isFromMessage()) await interaction.update(message(result.update));
    else if (!interaction.isModalSubmit()) await interaction.update(message(result.update));
    return;
  }
  if (deferred === "update") await interaction.followUp(withFlags(result));
  else if (deferred === "reply" && result.ephemeral) {
    // The placeholder is public but the answer is private: swap one for the other.
    await interaction.deleteReply();
    await interaction.followUp(withFlags(result));
  } else if (deferred !== "none") await interaction.editReply(message(result));
  else await interaction.reply(withFlags(result));
}
