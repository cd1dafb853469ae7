// /shop price (placeholder of the shared base: the part that builds it replaces this file).
import type { ChatInputCommandInteraction } from "discord.js";
import type { BotContext, CommandResult } from "../../bot/types.ts";
import { UserError } from "../../errors.ts";

export function shopPrice(_interaction: ChatInputCommandInteraction, _ctx: BotContext): Promise<CommandResult> {
  return Promise.reject(new UserError("/shop price is not built yet."));
}
