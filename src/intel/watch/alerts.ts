// What each answered poll tells the teams following that Rust server (an IntelPollListener): watched players
// coming online and going offline (one coalesced post per user and poll), a tracked player's new name, and
// that the server's names are streamer-mode names. Everything is deduplicated through the outbox's dedupeKey,
// so a poll delivered or run twice posts nothing new.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "../../logger.ts";
import type { Notifier } from "../../notify/notifier.ts";
import { serverLabel } from "../../pairing/server-card.ts";
import type { IntelPollListener, IntelPollResult } from "../types.ts";
import { followersOf, followerViews, WatchlistCache, type Follower } from "./load.ts";
import { matchTransitions } from "./match.ts";

export interface WatchDeps {
  prisma: PrismaClient;
  notifier: Pick<Notifier, "notify">;
  logger: Logger;
}

export class IntelWatch {
  readonly #cache: WatchlistCache;
  /** Streamer mode as this process last saw it per IntelServer (the poller has already stored the new value). */
  readonly #streamer = new Map<string, boolean>();

  constructor(private readonly deps: WatchDeps) {
    this.#cache = new WatchlistCache(deps.logger);
  }

  /** Register with the poller. */
  readonly listener: IntelPollListener = (result) => this.onPoll(result);

  async onPoll(result: IntelPollResult): Promise<void> {
    const id = result.server.id;
    const streamerOn = result.streamerMode && this.#streamer.get(id) !== true;
    // Streamer-mode names are random: a Steam id listed under one is no new name.
    const renames = result.streamerMode ? new Map<string, string>() : steamNames(result);
    if (!result.transitions.length && !renames.size && !streamerOn) {
      this.#streamer.set(id, result.streamerMode);
      return;
    }
    const followers = await followersOf(this.deps.prisma, result.server);
    if (followers.length) {
      if (streamerOn) await this.#streamerNotice(result, followers);
      if (renames.size) await this.#renames(result, followers, renames);
      if (result.transitions.length) await this.#alerts(result, followers);
    }
    this.#streamer.set(id, result.streamerMode);
  }

  async #alerts(result: IntelPollResult, followers: Follower[]): Promise<void> {
    const views = await followerViews(this.deps.prisma, this.#cache, followers);
    for (const m of matchTransitions(result, views)) {
      await this.deps.notifier.notify({
        userId: m.userId,
        dedupeKey: m.dedupeKey,
        event: { kind: "intel-alert", serverName: m.serverName, at: result.at.toISOString(), title: m.title, lines: m.lines, ...(m.mentionRoleIds.length && { mentionRoleIds: m.mentionRoleIds }) },
      });
    }
  }

  /**
   * Once per follower and wipe (the key holds IntelServer.wipeAt): a restart, which forgets what this process
   * saw, does not tell again; a server that turns streamer mode off and on within a wipe is told once.
   */
  async #streamerNotice(result: IntelPollResult, followers: Follower[]): Promise<void> {
    const row = await this.deps.prisma.intelServer.findUnique({ where: { id: result.server.id }, select: { wipeAt: true } });
    const wipe = row?.wipeAt ? String(row.wipeAt.getTime()) : "none";
    for (const f of followers) {
      const name = serverLabel(f);
      await this.deps.notifier.notify({
        userId: f.userId,
        dedupeKey: `intel-streamer:${f.userId}:${result.server.id}:${wipe}`,
        event: {
          kind: "intel-alert",
          serverName: name,
          at: result.at.toISOString(),
          title: "⚠️ Streamer-mode names",
          lines: [`Names on ${name} are streamer-mode names: unreliable. Watchlist patterns are paused there; notes are matched by Steam id only.`],
        },
      });
    }
  }

  /** A noted player listed under a new name (same Steam id): the old one kept in knownNames, posted once. */
  async #renames(result: IntelPollResult, followers: Follower[], names: Map<string, string>): Promise<void> {
    const { prisma, notifier } = this.deps;
    const notes = await prisma.playerIntelNote.findMany({
      where: { pairedServerId: { in: followers.map((f) => f.id) }, steamId: { in: [...names.keys()] } },
      select: { id: true, pairedServerId: true, steamId: true, playerName: true },
    });
    for (const note of notes) {
      const now = names.get(note.steamId!);
      const follower = followers.find((f) => f.id === note.pairedServerId);
      if (!now || !follower || now === note.playerName) continue;
      const old = note.playerName;
      await prisma.$transaction(async (tx) => {
        // Only if the note still has the old name: a second run (or another process) finds nothing to do.
        const { count } = await tx.playerIntelNote.updateMany({ where: { id: note.id, playerName: old }, data: { playerName: now, knownNames: { push: old } } });
        if (!count) return;
        await notifier.notify(
          {
            userId: follower.userId,
            dedupeKey: `intel-rename:${note.id}:${now}`,
            event: { kind: "tracked-player", serverName: serverLabel(follower), at: result.at.toISOString(), player: now, text: `${old} is now ${now}` },
          },
          tx,
        );
      });
    }
  }
}

/** Steam id → the name it is listed (or came or went) under in this poll. */
function steamNames(result: IntelPollResult): Map<string, string> {
  const names = new Map<string, string>();
  for (const t of result.transitions) if (t.steamId && t.online) names.set(t.steamId, t.playerName);
  for (const p of result.listed) if (p.steamId) names.set(p.steamId, p.name);
  return names;
}
