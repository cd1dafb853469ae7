// `!online <tag>` in team chat: the players with that tag (notes of this paired server) or matching the owner's
// watchlist of that name, online now on this server. Without an argument, the team's own `!online` answers.
import { shortDuration } from "../../ingame/format.ts";
import type { CommandContext, InGameCommand } from "../../ingame/registry.ts";
import { compileWatchlist, tagSchema, type CompiledWatchlist } from "./filter.ts";
import { onlineMatches } from "./online-now.ts";
import { likeText } from "../../db/like-text.ts";

/** Wraps the team's `!online` (registry.replace): its answer stays the same without an argument. */
export function onlineWithIntel(teamOnline: InGameCommand): InGameCommand {
  return {
    ...teamOnline,
    usage: "[tag|watchlist]",
    summary: `${teamOnline.summary}; with a tag or watchlist name, those players online on this server`,
    async run(ctx) {
      if (!ctx.args) return teamOnline.run(ctx);
      return intelOnline(ctx);
    },
  };
}

async function intelOnline(ctx: CommandContext): Promise<string> {
  const arg = ctx.args.slice(0, 64);
  const server = await ctx.prisma.pairedServer.findUnique({ where: { id: ctx.server.id }, select: { id: true, ip: true, port: true } });
  if (!server) return "This server is not paired any more.";
  const row = await ctx.prisma.watchlist.findFirst({
    where: { userId: ctx.server.userId, name: { equals: likeText(arg), mode: "insensitive" }, OR: [{ pairedServerId: null }, { pairedServerId: server.id }] },
    select: { id: true, name: true, pairedServerId: true, filter: true },
  });
  let watch: CompiledWatchlist;
  let label: string;
  if (row) {
    const compiled = compileWatchlist(row);
    if ("invalid" in compiled) return `Watchlist ${row.name} is damaged; recreate it with /watchlist.`;
    watch = compiled;
    label = row.name;
  } else {
    const tag = tagSchema.safeParse(arg);
    if (!tag.success) return `Usage: ${ctx.server.prefix}online <tag or watchlist>`;
    watch = { id: "", name: tag.data, pairedServerId: null, tags: new Set([tag.data]), trackedOnly: false, pattern: null, mentionRoleId: undefined };
    label = tag.data;
  }
  const found = await onlineMatches(ctx.prisma, server, watch);
  if (!found.polled) return "No player list for this server yet.";
  const note = found.streamerMode ? " (streamer-mode names: unreliable)" : "";
  if (!found.players.length) return `Nobody matching ${label} is online.${note}`;
  const now = ctx.now();
  return `${label} online (${found.players.length})${note}: ${found.players.map((p) => `${p.name} ${shortDuration(now - p.since.getTime())}`).join(", ")}`;
}
