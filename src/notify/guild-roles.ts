// Which stored roles a post may still mention, checked against the guild the post goes to as it is posted.
// A role was checked when it was saved (src/bot/mention-role.ts), but it can be deleted, made unmentionable,
// or left behind in guild A after the user moved their notifications to guild B (/setup use-here). The rule
// at post time: the role exists in the post's guild, is not @everyone (whose id is the guild's), and is
// mentionable. Discord pings an unmentionable role only if the poster has Mention Everyone; the bot may have
// it, and the member who once had the right to mention it may not any more, so the bot does not use it.
// Roles are read over REST (any process may post), once per 60 s per guild; if a read fails, the guild's last
// good read is used (those roles were valid then, and a ping beats silence for an alarm), else no role is named.
// Role objects: GET /guilds/{guild.id}/roles, https://discord.com/developers/docs/resources/guild#get-guild-roles
// (`mentionable`: https://discord.com/developers/docs/topics/permissions#role-object).
import type { REST } from "@discordjs/rest";
import { Routes, type APIRole } from "discord-api-types/v10";
import type { Logger } from "../logger.ts";
import { laneHeaders } from "./lane.ts";

/** How long one read of a guild's roles is used (ms): a burst of alarms reads them once. */
export const ROLES_TTL_MS = 60_000;
/** A role dropped for a reason that can change back (not mentionable, roles unreadable) is re-read at most this often (ms). */
const RECHECK_MS = 5_000;
/** How long reading a guild's roles may take before the post goes on without it (ms). */
const READ_TIMEOUT_MS = 5_000;
/** Guilds whose roles are remembered at once; the oldest read is forgotten first. */
const MAX_GUILDS = 1_000;
/** Dropped roles already logged; cleared when full (a role may then be logged again). */
const MAX_LOGGED = 10_000;

interface Entry {
  /** When this entry was read or its read failed (ms, `now`). */
  at: number;
  /** The dispatcher run it was read in: it knows every role saved before a row claimed in that run or earlier. */
  run: number;
  /** Whether the last read succeeded (else `existing`/`mentionable` are an earlier read's, or undefined). */
  ok: boolean;
  existing: ReadonlySet<string> | undefined;
  mentionable: ReadonlySet<string> | undefined;
  /** Ids a read after their row was written did not find: role ids are never reused, so they never come back. */
  gone: Set<string>;
  pending?: Promise<void>;
}

export class GuildRoles {
  readonly #entries = new Map<string, Entry>();
  readonly #logged = new Set<string>();

  constructor(
    private readonly rest: REST,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The ids of `roleIds` (snowflake strings) that a post in guild `guildId` may mention, in their order, without
   * duplicates: each exists there, is not @everyone and is mentionable. `run` numbers the dispatcher's claim of the
   * rows (increasing): a role saved after the last read (so its rows were claimed in a later run) is read again
   * rather than dropped. Otherwise roles are read at most once per ROLES_TTL_MS per guild. If reading fails (or
   * takes over 5 s), the last successful read of that guild is used; with none, no role is mentioned: a post is
   * never held up or lost for a mention. Never throws. Each role dropped is logged once (with `userId`).
   */
  async allowed(guildId: string, roleIds: readonly string[], userId: string, run: number): Promise<string[]> {
    const wanted = [...new Set(roleIds)].filter((id) => id !== guildId);
    for (const id of roleIds) if (id === guildId) this.#logDropped(guildId, id, userId, "@everyone");
    if (!wanted.length) return [];
    let entry = await this.#read(guildId, run, false);
    const doubtful = wanted.filter((id) => !entry.gone.has(id) && !entry.mentionable?.has(id));
    if (doubtful.length && entry.run < run) {
      // Missing from a read older than the rows: perhaps created since. Unmentionable, or unreadable: rate-limited.
      const missingOnly = entry.ok && doubtful.every((id) => !entry.existing?.has(id));
      if (missingOnly || this.now() - entry.at >= RECHECK_MS) entry = await this.#read(guildId, run, true);
    }
    if (!entry.mentionable || !entry.existing) {
      this.logger.warn({ guildId, userId, roleIds: wanted }, "could not read the guild's roles: posting without role mentions");
      return [];
    }
    const allowed: string[] = [];
    for (const roleId of wanted) {
      if (entry.mentionable.has(roleId)) {
        allowed.push(roleId);
        continue;
      }
      const missing = !entry.existing.has(roleId);
      if (missing && entry.ok && entry.run >= run) entry.gone.add(roleId);
      this.#logDropped(guildId, roleId, userId, missing ? "not a role of this guild (deleted, or of another guild)" : "not mentionable");
    }
    return allowed;
  }

  async #read(guildId: string, run: number, force: boolean): Promise<Entry> {
    let entry = this.#entries.get(guildId);
    if (entry && (entry.pending || (!force && this.now() - entry.at < ROLES_TTL_MS))) {
      await entry.pending;
      return entry;
    }
    const previous = entry;
    entry = { at: this.now(), run, ok: false, existing: previous?.existing, mentionable: previous?.mentionable, gone: previous?.gone ?? new Set() };
    const current = entry;
    current.pending = (async () => {
      try {
        // Read only for posts that mention roles (alarms and raids, intel alerts): in the alarm lane, so an
        // alarm does not wait behind routine requests for its roles.
        const roles = (await this.rest.get(Routes.guildRoles(guildId), { signal: AbortSignal.timeout(READ_TIMEOUT_MS), headers: laneHeaders("alarm") })) as APIRole[];
        if (!Array.isArray(roles)) throw new Error("not a list of roles");
        current.existing = new Set(roles.map((r) => r.id));
        current.mentionable = new Set(roles.filter((r) => r.mentionable === true).map((r) => r.id));
        current.ok = true;
      } catch (error) {
        this.logger.warn({ err: error, guildId, knownGood: current.existing !== undefined }, "reading a guild's roles failed");
      } finally {
        current.at = this.now();
        delete current.pending;
      }
    })();
    this.#entries.delete(guildId); // re-inserted last: the Map's order is the order of reads
    this.#entries.set(guildId, current);
    while (this.#entries.size > MAX_GUILDS) this.#entries.delete(this.#entries.keys().next().value!);
    await current.pending;
    return current;
  }

  #logDropped(guildId: string, roleId: string, userId: string, reason: string): void {
    const key = `${guildId}:${roleId}`;
    if (this.#logged.has(key)) return;
    if (this.#logged.size >= MAX_LOGGED) this.#logged.clear();
    this.#logged.add(key);
    this.logger.warn({ guildId, roleId, userId, reason }, "a stored role is not mentioned in this guild's notifications");
  }
}
