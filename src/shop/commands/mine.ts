// /shop mine (placeholder of the shared base: the part that builds it replaces this file).
import type { ApplicationCommandOptionChoiceData, ChatInputCommandInteraction } from "discord.js";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { BotContext, CommandResult } from "../../bot/types.ts";
import { UserError } from "../../errors.ts";

export const shopMine = (_i: ChatInputCommandInteraction, _c: BotContext): Promise<CommandResult> => Promise.reject(new UserError("/shop mine is not built yet."));
export const ownShopChoices = (_p: PrismaClient, _u: { id: string }, _q: string): Promise<ApplicationCommandOptionChoiceData[]> => Promise.resolve([]);
