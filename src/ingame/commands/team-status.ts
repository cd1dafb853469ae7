// !online, !offline, !afk, !alive: who is where in the team's life, from getTeamInfo.
import { AFK_AFTER_MS } from "../afk-tracker.ts";
import { shortDuration } from "../format.ts";
import type { InGameCommand } from "../registry.ts";
import { displayName } from "../team.ts";

export const online: InGameCommand = {
  name: "online",
  summary: "teammates online",
  async run(ctx) {
    const { members } = await ctx.team();
    const on = members.filter((m) => m.isOnline);
    return `Online (${on.length}/${members.length}): ${on.map(displayName).join(", ") || "nobody"}`;
  },
};

export const offline: InGameCommand = {
  name: "offline",
  summary: "teammates offline",
  async run(ctx) {
    const { members } = await ctx.team();
    const off = members.filter((m) => !m.isOnline);
    return off.length ? `Offline (${off.length}/${members.length}): ${off.map(displayName).join(", ")}` : "Everyone is online.";
  },
};

export const afk: InGameCommand = {
  name: "afk",
  summary: `online teammates who have not moved for ${shortDuration(AFK_AFTER_MS)}`,
  async run(ctx) {
    const { members } = await ctx.team(); // also a fresh look at everyone's position
    const names = new Map(members.map((m) => [m.steamId, displayName(m)]));
    const idle = ctx.afk.idle(ctx.server.id).filter((e) => names.has(e.steamId));
    if (!idle.length) return `Nobody has been still for ${shortDuration(AFK_AFTER_MS)}.`;
    return `AFK: ${idle.map((e) => `${names.get(e.steamId)} ${shortDuration(e.forMs)}`).join(", ")}`;
  },
};

export const alive: InGameCommand = {
  name: "alive",
  summary: "how long each teammate has been alive",
  async run(ctx) {
    const { members } = await ctx.team();
    const now = ctx.now();
    const living = members.filter((m) => m.isAlive && m.spawnTime > 0).sort((a, b) => a.spawnTime - b.spawnTime);
    const dead = members.filter((m) => !m.isAlive);
    const lines = [`Alive: ${living.map((m) => `${displayName(m)} ${shortDuration(now - m.spawnTime * 1000)}`).join(", ") || "nobody"}`];
    if (dead.length) lines.push(`Dead: ${dead.map(displayName).join(", ")}`);
    return lines;
  },
};
