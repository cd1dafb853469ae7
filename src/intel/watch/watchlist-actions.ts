// /watchlist's operations, checked and done, answered as text. A watchlist belongs to one user (alerts go to
// the owners of the paired servers that follow a Rust server, so it may only be limited to a server they paired).
import type { PrismaClient, User } from "../../generated/prisma/client.ts";
import { allowance, withinLimit, type LimitsConfig } from "../../billing/entitlements.ts";
import { listContent } from "../../bot/list-reply.ts";
import { plain } from "../../bot/plain-text.ts";
import { UserError } from "../../errors.ts";
import { shortDuration } from "../../ingame/format.ts";
import { serverLabel } from "../../pairing/server-card.ts";
import { notOneOfYourServers } from "../../sharing/access-answers.ts";
import { requireOwnedServer } from "../../sharing/server-access.ts";
import { playerText } from "../player/describe.ts";
import { parseTag } from "../player/fields.ts";
import { compilePattern } from "./pattern.ts";
import { compileWatchlist, describeFilter, TAGS_MAX, watchFilter, type WatchFilter } from "./filter.ts";
import { onlineMatches } from "./online-now.ts";
import { likeText } from "../../db/like-text.ts";

type Who = Pick<User, "id" | "steamId">;
export interface WatchlistDeps {
  prisma: PrismaClient;
  config: LimitsConfig;
}

export const WATCHLIST_NAME_MAX = 32;
/** Letters, digits, spaces, - and _: a name `!online <name>` can be typed with. */
const NAME = /^[\p{L}\p{N}_-]+(?: [\p{L}\p{N}_-]+)*$/u;

export interface CreateRequest {
  name: string;
  server?: string | undefined;
  tags?: string | undefined;
  pattern?: string | undefined;
  trackedOnly?: boolean | undefined;
  role?: string | undefined;
}

/** A watchlist name as typed, checked. @throws UserError. */
export function parseName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, " ");
  if (!name || name.length > WATCHLIST_NAME_MAX || !NAME.test(name)) {
    throw new UserError(`A watchlist name is 1 to ${WATCHLIST_NAME_MAX} letters, digits, spaces, \`-\` or \`_\` (so \`!online <name>\` can name it in game).`);
  }
  return name;
}

/** "raider, clan" or "raider clan" → ["raider", "clan"], each a tag as /player tag takes it (parseTag). @throws UserError. */
export function parseTags(raw: string): string[] {
  const words = raw.split(/[\s,]+/).filter(Boolean);
  if (words.length > TAGS_MAX) throw new UserError(`A watchlist takes at most ${TAGS_MAX} tags (you gave ${words.length}).`);
  // The notes' own rule: a tag no note can carry would make a watchlist that never matches.
  return [...new Set(words.map(parseTag))];
}

/**
 * Saves a watchlist within the user's tier (`watchlists`).
 * @throws UserError: a bad name, tags or pattern (too long, not RE2), no criterion, a server not theirs (or
 *   none of their own: a guest's watchlist would never alert), a name already used, the tier's limit.
 */
export async function createWatchlist(deps: WatchlistDeps, user: Who, req: CreateRequest): Promise<string> {
  const name = parseName(req.name);
  if (req.pattern !== undefined) compilePattern(req.pattern);
  const candidate = {
    ...(req.tags !== undefined && { tags: parseTags(req.tags) }),
    ...(req.pattern !== undefined && { pattern: req.pattern }),
    ...(req.trackedOnly && { trackedOnly: true }),
    ...(req.role && { mentionRoleId: req.role }),
  };
  const parsed = watchFilter.safeParse(candidate);
  if (!parsed.success) throw new UserError("Give the watchlist something to watch: `tags`, a name `pattern`, or `tracked-only`.");
  const filter: WatchFilter = parsed.data;
  const server = req.server ? await requireOwnedServer(deps.prisma, user, req.server, { action: "limit a watchlist to it", from: "option" }) : null;
  // Alerts go to the owners of the paired servers following a Rust server, and `!online <name>` reads the
  // owner's watchlists: one saved by a user with no server of their own (a guest) would never do anything.
  if (!server && !(await deps.prisma.pairedServer.count({ where: { userId: user.id } }))) {
    throw new UserError(`Watchlists watch the servers you paired. ${await notOneOfYourServers(deps.prisma, user, { ownedOnly: true })}`);
  }
  await withinLimit(deps.prisma, deps.config, user, "watchlists", async (tx) => {
    const taken = await tx.watchlist.findFirst({ where: { userId: user.id, name: { equals: likeText(name), mode: "insensitive" } }, select: { name: true } });
    if (taken) throw new UserError(`You already have a watchlist called **${plain(taken.name)}**. Pick another name, or delete it first.`);
    return tx.watchlist.create({ data: { userId: user.id, name, pairedServerId: server?.id ?? null, filter } });
  });
  return `Saved watchlist **${plain(name)}** (${describeFilter(filter)}) on ${server ? `**${plain(serverLabel(server))}**` : "all your servers"}. Its players coming online or going offline are posted in #player-intel; \`!online ${name}\` in game lists them.`;
}

async function findOwn(prisma: PrismaClient, user: Who, raw: string) {
  const name = raw.trim().slice(0, 100);
  const row = await prisma.watchlist.findFirst({ where: { userId: user.id, name: { equals: likeText(name), mode: "insensitive" } }, include: { pairedServer: true } });
  if (!row) throw new UserError(`You have no watchlist called **${plain(name) || "(blank)"}**. Pick one from the suggestions as you type, or see \`/watchlist list\`.`);
  return row;
}

export async function listWatchlists(deps: WatchlistDeps, user: Who): Promise<string> {
  const rows = await deps.prisma.watchlist.findMany({ where: { userId: user.id }, include: { pairedServer: true }, orderBy: { name: "asc" } });
  const used = await allowance(deps.prisma, deps.config, user, "watchlists");
  const tail = `Watchlists: ${used.used} of ${used.limit} (${used.tier} tier).`;
  if (!rows.length) return `You have no watchlists yet. Create one with \`/watchlist create\`.\n${tail}`;
  const lines = rows.map((r) => {
    const f = watchFilter.safeParse(r.filter);
    return `**${plain(r.name)}** — ${f.success ? describeFilter(f.data) : "damaged: delete and recreate it"} — ${r.pairedServer ? plain(serverLabel(r.pairedServer)) : "all servers"}`;
  });
  return listContent({ head: "**Your watchlists**", lines, tail });
}

/** The watchlist's filter and who it matches online now, per server it covers. */
export async function showWatchlist(deps: WatchlistDeps, user: Who, raw: string, now = Date.now()): Promise<string> {
  const row = await findOwn(deps.prisma, user, raw);
  const compiled = compileWatchlist(row);
  if ("invalid" in compiled) return `**${plain(row.name)}** is damaged (${plain(compiled.invalid)}); delete it and create it again.`;
  const servers = row.pairedServer ? [row.pairedServer] : await deps.prisma.pairedServer.findMany({ where: { userId: user.id }, orderBy: { serverName: "asc" }, take: 10 });
  const lines: string[] = [];
  for (const server of servers) {
    const found = await onlineMatches(deps.prisma, server, compiled);
    const label = `**${plain(serverLabel(server))}**`;
    if (!found.polled) lines.push(`${label}: no player list yet (the server has not answered a query).`);
    else if (!found.players.length) lines.push(`${label}: nobody online matches.${found.streamerMode ? " (streamer-mode names: unreliable)" : ""}`);
    else {
      const start = `${label} (${found.players.length} online${found.streamerMode ? ", streamer-mode names: unreliable" : ""}): `;
      lines.push(start + namesWithin(found.players.map((p) => `${playerText(p.name)} ${shortDuration(now - p.since.getTime())}`), Math.floor(SHOW_BUDGET / servers.length) - start.length));
    }
  }
  const head = `**${plain(row.name)}** — ${describeFilter(watchFilter.parse(row.filter))} — ${row.pairedServer ? plain(serverLabel(row.pairedServer)) : "all your servers"}`;
  return listContent({ head, lines: lines.length ? lines : ["You have no paired server to watch yet."] });
}

/** Characters of the 2,000-character reply the server lines share (the head takes the rest). */
const SHOW_BUDGET = 1_600;

/** Whole names, comma-separated, within `max` characters, then "… and N more" (never a name cut in half). */
function namesWithin(names: readonly string[], max: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const [i, name] of names.entries()) {
    const more = i < names.length - 1 ? `, … and ${names.length - i - 1} more`.length : 0;
    if (used + (kept.length ? 2 : 0) + name.length + more > max) return `${kept.join(", ")}${kept.length ? ", " : ""}… and ${names.length - kept.length} more`;
    kept.push(name);
    used += (kept.length > 1 ? 2 : 0) + name.length;
  }
  return kept.join(", ");
}

export async function deleteWatchlist(deps: WatchlistDeps, user: Who, raw: string): Promise<string> {
  const row = await findOwn(deps.prisma, user, raw);
  await deps.prisma.watchlist.deleteMany({ where: { id: row.id, userId: user.id } });
  return `Deleted watchlist **${plain(row.name)}**.`;
}

export async function watchlistChoices(prisma: PrismaClient, user: Who, search: string): Promise<{ name: string; value: string }[]> {
  const rows = await prisma.watchlist.findMany({ where: { userId: user.id, name: { contains: likeText(search.slice(0, 100)), mode: "insensitive" } }, orderBy: { name: "asc" }, take: 25, select: { name: true } });
  return rows.map((r) => ({ name: r.name, value: r.name }));
}
