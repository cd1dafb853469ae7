// !prox, !leader: commands about the caller's own place in the team (!note is in src/notes).
import { compass, shortDistance } from "../format.ts";
import type { CommandContext, InGameCommand } from "../registry.ts";
import { displayName, type Team, type TeamMember } from "../team.ts";

async function callerIn(ctx: CommandContext): Promise<{ team: Team; me: TeamMember | undefined }> {
  const team = await ctx.team();
  return { team, me: team.members.find((m) => m.steamId === ctx.caller.steamId) };
}

export const prox: InGameCommand = {
  name: "prox",
  summary: "distance to each teammate",
  async run(ctx) {
    const { team, me } = await callerIn(ctx);
    if (!me) return "You are not in this team.";
    const others = team.members
      .filter((m) => m.steamId !== me.steamId)
      .map((m) => ({ m, d: Math.hypot(m.x - me.x, m.y - me.y) }))
      .sort((a, b) => a.d - b.d);
    if (!others.length) return "You have no teammates.";
    return others.map(({ m, d }) => `${displayName(m)} ${shortDistance(d)}${d >= 1 ? ` ${compass(m.x - me.x, m.y - me.y)}` : ""}${m.isOnline ? "" : " (offline)"}`);
  },
};

export const leader: InGameCommand = {
  name: "leader",
  summary: "makes you the team leader",
  async run(ctx) {
    const { team, me } = await callerIn(ctx);
    if (!me) return "You are not in this team.";
    if (team.leaderSteamId === me.steamId) return "You are already the leader.";
    // Only the leader can hand leadership over, and the bot speaks as its paired player.
    if (team.leaderSteamId !== ctx.server.playerSteamId) {
      const owner = team.members.find((m) => m.steamId === ctx.server.playerSteamId);
      return `Only the leader can pass leadership: the bot speaks as ${owner ? displayName(owner) : "its paired player"}, who is not the leader.`;
    }
    await ctx.request({ promoteToLeader: { steamId: me.steamId } });
    return `${displayName(me)} is now the team leader.`;
  },
};
