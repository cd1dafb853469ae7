// /shop track, list, untrack (placeholder of the shared base: the part that builds it replaces this file).
import type { ApplicationCommandOptionChoiceData, ChatInputCommandInteraction } from "discord.js";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { BotContext, CommandResult } from "../../bot/types.ts";
import { UserError } from "../../errors.ts";

const notYet = () => Promise.reject(new UserError("Tracking is not built yet."));
export const shopTrack = (_i: ChatInputCommandInteraction, _c: BotContext): Promise<CommandResult> => notYet();
export const shopList = (_i: ChatInputCommandInteraction, _c: BotContext): Promise<CommandResult> => notYet();
export const shopUntrack = (_i: ChatInputCommandInteraction, _c: BotContext): Promise<CommandResult> => notYet();
export const trackedChoices = (_p: PrismaClient, _u: { id: string }, _q: string): Promise<ApplicationCommandOptionChoiceData[]> => Promise.resolve([]);
