// !note in team chat: `!note <text> [ttl]` where the speaker stands, or `!note G12 <text> [ttl]` at a cell's
// centre. The same checks as /note add (fields.ts, ttl.ts, position.ts) and the same tier limit.
import type { LimitsConfig } from "../billing/entitlements.ts";
import { cellCentre, gridFor } from "../events/grid.ts";
import { UserError } from "../errors.ts";
import { atGrid } from "../ingame/place.ts";
import type { InGameCommand } from "../ingame/registry.ts";
import { addNote } from "./add-note.ts";
import { parseLabel } from "./fields.ts";
import { notACell, parsePosition, resolvePosition } from "./position.ts";
import { expiryOf, parseTtl, type Ttl } from "./ttl.ts";

/** Names the note commands take in game (a device's custom command may not shadow them). */
export const NOTE_COMMAND_NAMES = ["note"] as const;

/** `big base 2h` → { text: "big base", ttl: 2h }; a last word that is not a TTL belongs to the text. */
export function splitTtl(args: string): { text: string; ttl: Ttl } {
  const untilWipe = /\s+until\s+wipe$/i.exec(args);
  if (untilWipe) return { text: args.slice(0, untilWipe.index), ttl: null };
  const match = /^(.*\S)\s+(\S+)$/.exec(args);
  // Shaped like a time (1h30m as /note takes it; -5m and 0m too, so they are refused rather than kept as text).
  if (match?.[1] && match[2] && /^-?\d+[mhdw](?:\d+[mhdw])*$/i.test(match[2])) return { text: match[1], ttl: parseTtl(match[2]) };
  return { text: args, ttl: null };
}

export function noteInGameCommand(config: LimitsConfig): InGameCommand {
  return {
    name: "note",
    usage: "<text> [2h]",
    summary: "saves a map note where you stand (or !note G12 <text>), until the wipe or for a time",
    async run(ctx) {
      const usage = `Usage: ${ctx.server.prefix}note <text> [30m|2h|1d] saves a map note where you stand; ${ctx.server.prefix}note G12 <text> at a grid cell.`;
      if (!ctx.args) return usage;
      try {
        const { text: rest, ttl } = splitTtl(ctx.args);
        const [first = "", ...words] = rest.split(/\s+/);
        const atCell = words.length > 0 && /^[A-Za-z]{1,3}\d{1,3}$/.test(first) && cellCentre(first, ctx.server.mapSize) !== null;
        // A first word shaped like a cell of some real map (at most AO40) that this map lacks is a mistyped cell,
        // refused as /note refuses it rather than saved as text where the speaker stands.
        if (!atCell && words.length > 0 && /^[A-Za-z]{1,2}\d{1,2}$/.test(first) && gridFor(ctx.server.mapSize)) {
          throw new UserError(`${notACell(first, ctx.server.mapSize)} To save it as text where you stand, start with another word.`);
        }
        const label = parseLabel(atCell ? rest.slice(first.length) : rest);
        if (!label) return usage;
        const at = await resolvePosition(atCell ? parsePosition(first) : { kind: "me" }, {
          mapSize: ctx.server.mapSize,
          callerSteamId: ctx.caller.steamId,
          team: () => ctx.team(),
          steamIdOfDiscord: () => Promise.resolve(null),
        });
        const author = await ctx.prisma.user.findUnique({ where: { steamId: ctx.caller.steamId }, select: { id: true } });
        const expiresAt = expiryOf(ttl, Date.now());
        await addNote({ prisma: ctx.prisma, config }, { id: ctx.server.id, userId: ctx.server.userId }, {
          category: "TAG", x: at.x, y: at.y, label, expiresAt, createdByUserId: author?.id ?? null,
        });
        return `Note saved${atGrid(at.x, at.y, ctx.server)}: ${label}${expiresAt ? ` (for ${ctx.args.slice(rest.length).trim()})` : ""}`;
      } catch (err) {
        // Refusals are answered in game as they are worded for Discord, without its markdown.
        if (err instanceof UserError) return err.message.replace(/[*`]/g, "");
        throw err;
      }
    },
  };
}
