// !prefix <symbols>: the bot's paired player changes what starts a command on this server.
import type { InGameCommand } from "../registry.ts";

/** One to three symbols: letters or digits would turn ordinary words into commands. */
export const PREFIX = /^[!#$%&*+,./:;<=>?@^_`|~-]{1,3}$/;

export const prefix: InGameCommand = {
  name: "prefix",
  usage: "<symbols>",
  summary: "changes the command prefix (the bot's player only)",
  async run(ctx) {
    const wanted = ctx.args;
    if (!wanted) return `Commands start with ${ctx.server.prefix} here.`;
    if (ctx.caller.steamId !== ctx.server.playerSteamId) return "Only the player the bot is paired as can change the prefix.";
    if (!PREFIX.test(wanted)) return "A prefix is 1 to 3 symbols, such as ! or . or ?";
    await ctx.prisma.pairedServer.update({ where: { id: ctx.server.id }, data: { commandPrefix: wanted } });
    return `Commands now start with ${wanted}, e.g. ${wanted}help`;
  },
};
