// !pop, !time, !wipe: fresh from the server (one token each), not from the status card's cached copy.
import { serverInfo, serverTime } from "../../rustplus/responses.ts";
import { clock, shortDuration } from "../format.ts";
import type { CommandContext, InGameCommand } from "../registry.ts";

async function info(ctx: CommandContext) {
  const parsed = serverInfo.safeParse((await ctx.request({ getInfo: {} })).info);
  if (!parsed.success) throw new Error("the server sent unreadable info");
  return parsed.data;
}

export const pop: InGameCommand = {
  name: "pop",
  summary: "players online and in queue",
  async run(ctx) {
    const i = await info(ctx);
    return `Pop: ${i.players}/${i.maxPlayers}${i.queuedPlayers ? `, ${i.queuedPlayers} in queue` : ""}`;
  },
};

export const time: InGameCommand = {
  name: "time",
  summary: "in-game time",
  async run(ctx) {
    const parsed = serverTime.safeParse((await ctx.request({ getTime: {} })).time);
    if (!parsed.success) throw new Error("the server sent an unreadable time");
    const t = parsed.data;
    const day = t.sunrise <= t.sunset ? t.time >= t.sunrise && t.time < t.sunset : t.time >= t.sunrise || t.time < t.sunset;
    return `Time: ${clock(t.time)} (${day ? `day, sunset at ${clock(t.sunset)}` : `night, sunrise at ${clock(t.sunrise)}`})`;
  },
};

export const wipe: InGameCommand = {
  name: "wipe",
  summary: "time since the last wipe",
  async run(ctx) {
    const i = await info(ctx);
    if (!i.wipeTime) return "The server does not say when it wiped.";
    return `Wiped ${shortDuration(ctx.now() - i.wipeTime * 1000)} ago`;
  },
};
