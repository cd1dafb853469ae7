// Which stored roles a post may still mention, checked against the guild the post goes to as it is posted.
// A role was checked when it was saved (src/bot/mention-role.ts), but it can be deleted, made unmentionable,
// or left behind in guild A after the user moved their notifications to guild B (/setup use-here). The rule
// at post time: the role exists in the post's guild, is not @everyone (whose id is the guild's), and is
// mentionable. Discord pings an unmentionable role only if the poster has Mention Everyone; the bot may have
// it, and the member who once had the right to mention it may not any more, so the bot does not use it.
// Role objects: GET /guilds/{guild.id}/roles, https://discord.com/developers/docs/resources/guild#get-guild-roles
// (`mentionable`: https://discord.com/developers/docs/topics/permissions#role-object).
import type { REST } from "@discordjs/rest";
import { Routes, type APIRole } from "discord-api-types/v10";
import type { Logger } from "../logger.ts";

/** How long one read of a guild's roles is used (ms): a burst of alarms reads them once. */
export const ROLES_TTL_MS = 60_000;
/** How long reading a guild's roles may take before the post goes on without it (ms). */
const READ_TIMEOUT_MS = 5_000;
/** Guilds whose roles are remembered at once; the oldest read is forgotten first. */
const MAX_GUILDS = 1_000;
/** Dropped roles already logged; cleared when full (a role may then be logged again). */
const MAX_LOGGED = 10_000;

interface Entry {
  /** When this entry was read or its read failed (ms, `now`). */
  at: number;
  /** The mentionable role ids of the last successful read, if any; kept across a failed read. */
  mentionable: ReadonlySet<string> | undefined;
  /** All role ids of the last successful read. */
  existing: ReadonlySet<string> | undefined;
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
   * duplicates: each exists there, is not @everyone and is mentionable. Roles are read at most once per
   * ROLES_TTL_MS per guild. If reading fails (or takes over 5 s), the last successful read of that guild is used;
   * with none, no role is mentioned: a post is never held up or lost for a mention. Never throws. Each role dropped
   * is logged once (with `userId`).
   */
  async allowed(guildId: string, roleIds: readonly string[], userId: string): Promise<string[]> {
    const wanted = [...new Set(roleIds)];
    if (!wanted.length) return [];
    const entry = await this.#read(guildId);
    if (!entry.mentionable || !entry.existing) {
      this.logger.warn({ guildId, userId, roleIds: wanted }, "could not read the guild's roles: posting without role mentions");
      return [];
    }
    const allowed: string[] = [];
    for (const roleId of wanted) {
      const reason = roleId === guildId ? "@everyone" : !entry.existing.has(roleId) ? "not a role of this guild (deleted, or of another guild)" : !entry.mentionable.has(roleId) ? "not mentionable" : undefined;
      if (!reason) allowed.push(roleId);
      else this.#logDropped(guildId, roleId, userId, reason);
    }
    return allowed;
  }

  async #read(guildId: string): Promise<Entry> {
    let entry = this.#entries.get(guildId);
    if (entry && (entry.pending || this.now() - entry.at < ROLES_TTL_MS)) {
      await entry.pending;
      return entry;
    }
    const previous = entry;
    entry = { at: this.now(), mentionable: previous?.mentionable, existing: previous?.existing };
    const current = entry;
    current.pending = (async () => {
      try {
        const roles = (await this.rest.get(Routes.guildRoles(guildId), { signal: AbortSignal.timeout(READ_TIMEOUT_MS) })) as APIRole[];
        if (!Array.isArray(roles)) throw new Error("not a list of roles");
        current.existing = new Set(roles.map((r) => r.id));
        current.mentionable = new Set(roles.filter((r) => r.mentionable === true).map((r) => r.id));
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
