// Posts claimed outbox rows to Discord through REST (so any process can deliver), coalescing what is due
// for one channel into as few messages as Discord allows. The client's REST manager handles per-route limits
// and retries 429s, and its lane limiter the global limit (alarms first: lane.ts); what remains is deciding
// what a failure means for the rows.
import type { REST } from "@discordjs/rest";
import { Routes, type RESTPostAPIChannelMessageJSONBody } from "discord-api-types/v10";
import type { NotificationFamily, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { packBatches, type Prepared } from "./batches.ts";
import { actionRow, type NotificationButton } from "./buttons.ts";
import { claimDue, type ClaimedRow } from "./claim.ts";
import { CANNOT_DM_USER, CHANNEL_UNUSABLE, UNKNOWN_CHANNEL, describeError, discordCode, forgetChannel, isRefusal } from "./discord-errors.ts";
import { DM_FAMILIES, discordUserIdOf, openDmChannel } from "./dm.ts";
import { notificationEvent, type NotificationEvent } from "./events.ts";
import { familyState } from "./families.ts";
import { formatEvent } from "./format.ts";
import { observeSent } from "../metrics/outbox.ts";
import { GuildRoles } from "./guild-roles.ts";
import { laneHeaders, laneOf } from "./lane.ts";
import { holdForPermission, PERMISSION_CODES } from "./permission-hold.ts";
import { choiceButtons, NO_GUILD_PREFIX, resolveRoute, routeLine, type Route } from "./route.ts";
import { fitEmbed, fitMessage } from "../bot/fit-payload.ts";
import { serialize } from "../bot/serialize.ts";

const CLAIM_LIMIT = 200;
const MAX_BACKOFF_MS = 5 * 60_000;

interface Target {
  /** A family channel from /setup, or the user's DMs (STATUS without /setup). */
  kind: "channel" | "dm";
  channelId: string;
  userId: string;
  family: NotificationFamily;
  /** Where the user's notifications go: a pairing message says so. */
  route: Route;
}

interface Settlement {
  status: "SENT" | "BLOCKED" | "SKIPPED" | "FAILED";
  lastError?: string | null;
  channelId?: string;
  messageId?: string;
  sentAt?: Date;
}

type PostOutcome = "sent" | "refused" | "unusable" | { held: unknown } | { undeliverable: string } | { error: unknown };

export class Dispatcher {
  readonly #roles: GuildRoles;
  /** Numbers each claim (runOnce), for the roles' cache: see GuildRoles.allowed. */
  #run = 0;

  /** `now` (ms): the clock the cache of guilds' roles runs on. */
  constructor(
    readonly prisma: PrismaClient,
    readonly rest: REST,
    readonly logger: Logger,
    now: () => number = Date.now,
  ) {
    this.#roles = new GuildRoles(rest, logger, now);
  }

  /** Posts everything due now; returns how many rows it settled (sent, blocked, skipped or failed). */
  async runOnce(): Promise<number> {
    const run = ++this.#run;
    const rows = await claimDue(this.prisma, CLAIM_LIMIT);
    const groups = new Map<string, ClaimedRow[]>();
    for (const row of rows) {
      const key = `${row.userId}:${row.family}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const settled = await Promise.all([...groups.values()].map((group) => this.#deliverGroup(group, run)));
    return settled.reduce((a, b) => a + b, 0);
  }

  async #deliverGroup(rows: ClaimedRow[], run: number): Promise<number> {
    const { userId, family } = rows[0]!;
    const target = await this.#target(userId, family, rows);
    if ("settled" in target) return target.settled;
    if ("settle" in target) return this.#settle(rows, target.settle);
    if ("retry" in target) return (await this.#retryLater(rows, target.retry), 0);

    const prepared: Prepared[] = [];
    let settled = 0;
    for (const row of rows) {
      const parsed = notificationEvent.safeParse(row.payload);
      if (!parsed.success) {
        settled += await this.#settle([row], { status: "FAILED", lastError: `invalid payload: ${parsed.error.message.slice(0, 500)}` });
        continue;
      }
      const event = parsed.data;
      const mentionRoleIds = mentionsOf(event);
      const embed = formatEvent(event);
      // A pairing message always says where the notifications go and how to change it, as of posting.
      const pairing = event.kind === "server-status" && event.pairing === true;
      if (pairing) embed.description = `${embed.description ?? ""}\n\n${routeLine(target.route)}`;
      const choices = pairing && target.route.kind === "none" && target.route.choices.length > 1 ? choiceButtons(target.route.choices) : undefined;
      prepared.push({ row, embed: fitEmbed(embed), mentionRoleIds, buttons: event.buttons ?? choices, ...(choices && event.buttons && { extraButtons: choices }) });
    }

    const batches = await packBatches(this.prisma, prepared);
    for (const [i, batch] of batches.entries()) {
      const outcome = await this.#post(target, batch, run);
      if (outcome === "sent" || outcome === "refused") {
        settled += batch.length;
        continue;
      }
      // Keep order within a channel: everything after a failed batch shares its fate.
      const remaining = batches.slice(i).flat().map((p) => p.row);
      if (outcome === "unusable") settled += await this.#settle(remaining, { status: "BLOCKED", lastError: "channel unusable: run /setup" });
      else if ("held" in outcome) settled += await holdForPermission(this, { userId, family, channelId: target.channelId }, remaining.map((r) => r.id), outcome.held);
      else if ("undeliverable" in outcome) settled += await this.#settle(remaining, { status: "FAILED", lastError: outcome.undeliverable });
      else await this.#retryLater(remaining, outcome.error);
      break;
    }
    return settled;
  }

  /** Where this user's rows of this family go now, or what happens to them instead. */
  async #target(userId: string, family: NotificationFamily, rows: ClaimedRow[]): Promise<Target | { settle: Settlement } | { settled: number } | { retry: unknown }> {
    const discordUserId = await discordUserIdOf(this.prisma, userId);
    let route: Route;
    try {
      route = await resolveRoute(this.prisma, this.rest, userId, discordUserId);
    } catch (error) {
      return { retry: error };
    }
    if (route.kind === "guild") {
      if (route.defaulted) await this.#tell(userId, routeLine(route));
      const state = familyState(route.integration, family);
      if (!state.enabled) return { settle: { status: "SKIPPED", lastError: "family switched off" } };
      if (!state.channelId) return { settle: { status: "BLOCKED", lastError: "no channel: run /setup" } };
      return { kind: "channel", channelId: state.channelId, userId, family, route };
    }
    if (DM_FAMILIES.has(family) && discordUserId) {
      try {
        return { kind: "dm", channelId: await openDmChannel(this.rest, discordUserId, laneOf(family)), userId, family, route };
      } catch (error) {
        if (isRefusal(error)) return { settle: { status: "FAILED", lastError: `could not open a DM with the user: ${describeError(error)}` } };
        return { retry: error };
      }
    }
    if (!discordUserId) return { settle: { status: "SKIPPED", lastError: "no /setup and no Discord account to tell" } };
    // The chosen guild lost its /setup: held like a deleted channel, released by /setup run there.
    if (route.kind === "chosen") return { settle: { status: "BLOCKED", lastError: "no channel: run /setup" } };
    // No guild: the rows wait, and the user is told once what to do (told: some row already waited). One
    // family group at a time, so two groups of this user do not both tell.
    const choices = route.choices;
    const settled = await serialize(`no-guild:${userId}`, async () => {
      const told = (await this.prisma.notificationOutbox.count({ where: { userId, lastError: { startsWith: NO_GUILD_PREFIX } } })) > 0;
      const count = await this.#settle(rows, { status: "BLOCKED", lastError: `${NO_GUILD_PREFIX}: /setup run or /setup use-here` });
      if (!told) await this.#tell(userId, routeLine(route), choices.length > 1 ? choiceButtons(choices) : undefined);
      return count;
    });
    return { settled };
  }

  /** A direct message to the user; never throws (a user who does not accept DMs is logged). */
  async #tell(userId: string, content: string, buttons?: NotificationButton[]): Promise<void> {
    try {
      const discordUserId = await discordUserIdOf(this.prisma, userId);
      if (!discordUserId) return;
      const channelId = await openDmChannel(this.rest, discordUserId);
      const body = fitMessage({ content, allowed_mentions: { parse: [] }, ...(buttons && { components: [actionRow(buttons)] }) });
      await this.rest.post(Routes.channelMessages(channelId), { body });
    } catch (error) {
      this.logger.warn({ err: error, userId }, "could not tell the user where their notifications go");
    }
  }

  async #post(target: Target, batch: Prepared[], run: number): Promise<PostOutcome> {
    const { kind, channelId, userId, family } = target;
    const rows = batch.map((p) => p.row);
    // Stored roles are checked again as posted (guild-roles.ts); a DM has no roles to mention.
    const stored = batch.flatMap((p) => p.mentionRoleIds);
    const guildId = kind === "channel" && target.route.kind === "guild" ? target.route.integration.guildId : undefined;
    const roles = guildId ? await this.#roles.allowed(guildId, stored, userId, run) : [];
    // packBatches gives a row with buttons a message of its own.
    const buttons = batch.length === 1 ? batch[0]!.buttons : undefined;
    const extra = batch.length === 1 ? batch[0]!.extraButtons : undefined;
    const body: RESTPostAPIChannelMessageJSONBody = {
      embeds: batch.map((p) => p.embed),
      ...(roles.length && { content: roles.map((id) => `<@&${id}>`).join(" ") }),
      ...(buttons && { components: [actionRow(buttons), ...(extra ? [actionRow(extra)] : [])] }),
      allowed_mentions: { parse: [], roles },
      // Discord returns the message it already has for this nonce instead of creating a second one.
      nonce: rows[0]!.batchId!,
      enforce_nonce: true,
    };
    try {
      // Alarms and raids go ahead of routine requests whenever Discord's global limit is the bottleneck.
      const message = (await this.rest.post(Routes.channelMessages(channelId), { body, headers: laneHeaders(laneOf(family)) })) as { id: string };
      // lastError cleared: a row once held for a permission is delivered, so a later loss is told again.
      await this.#settle(rows, { status: "SENT", channelId, messageId: message.id, sentAt: new Date(), lastError: null });
      observeSent(rows);
      return "sent";
    } catch (error) {
      const code = discordCode(error);
      if (kind === "dm" && code === CANNOT_DM_USER) {
        // DMs closed, or no server shared with the bot: nothing the bot can change, so do not retry.
        this.logger.warn({ userId, family, code }, "cannot DM this user: notification dropped");
        return { undeliverable: `cannot DM this user (${CANNOT_DM_USER}): they do not accept DMs from the bot, and have no /setup` };
      }
      // Permissions can come back without /setup: hold the rows and tell the owner (permission-hold.ts).
      if (kind === "channel" && code !== undefined && PERMISSION_CODES.has(code)) return { held: error };
      if (kind === "channel" && code !== undefined && CHANNEL_UNUSABLE.has(code)) {
        if (code === UNKNOWN_CHANNEL) await forgetChannel(this.prisma, family, channelId);
        this.logger.warn({ userId, family, channelId, code }, "notification channel unusable: waiting for /setup");
        return "unusable";
      }
      if (isRefusal(error)) {
        this.logger.error({ err: error, userId, family, rows: rows.map((r) => r.id) }, "Discord refused a notification");
        await this.#settle(rows, { status: "FAILED", lastError: describeError(error) });
        return "refused";
      }
      return { error };
    }
  }

  async #retryLater(rows: ClaimedRow[], error: unknown): Promise<void> {
    const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(attempts, 20)) * (0.5 + Math.random() / 2);
    this.logger.warn({ err: error, userId: rows[0]?.userId, family: rows[0]?.family, attempts, retryInMs: Math.round(delay) }, "posting a notification failed; will retry");
    await this.prisma.notificationOutbox.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { attempts, nextAttemptAt: new Date(Date.now() + delay), lockedUntil: null, lastError: describeError(error) },
    });
  }

  async #settle(rows: ClaimedRow[], data: Settlement): Promise<number> {
    const { count } = await this.prisma.notificationOutbox.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { ...data, lockedUntil: null },
    });
    return count;
  }
}

/** The roles an event wakes: an alarm's or raid's one, an intel alert's watchlists' roles. */
function mentionsOf(event: NotificationEvent): readonly string[] {
  if (event.kind === "alarm" || event.kind === "raid") return event.mentionRoleId ? [event.mentionRoleId] : [];
  if (event.kind === "intel-alert") return event.mentionRoleIds ?? [];
  return [];
}
