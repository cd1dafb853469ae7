// Posts claimed outbox rows to Discord through REST (so any process can deliver), coalescing what is due
// for one channel into as few messages as Discord allows. The client's REST manager handles per-route and
// global rate limits and retries 429s; what remains is deciding what a failure means for the rows.
import type { REST } from "@discordjs/rest";
// discord.js throws its own (CommonJS) copy of this class: import it from there for instanceof to hold.
import { DiscordAPIError } from "discord.js";
import { Routes, type APIEmbed, type RESTPostAPIChannelMessageJSONBody } from "discord-api-types/v10";
import type { NotificationFamily, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { claimDue, type ClaimedRow } from "./claim.ts";
import { notificationEvent } from "./events.ts";
import { channelColumn, familyState } from "./families.ts";
import { embedSize, formatEvent } from "./format.ts";

const CLAIM_LIMIT = 200;
const EMBEDS_PER_MESSAGE = 10;
const EMBED_CHARS_PER_MESSAGE = 6_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/** Discord errors that retrying cannot fix until someone repairs the channel with /setup. */
const UNKNOWN_CHANNEL = 10003;
const CHANNEL_UNUSABLE = new Set([UNKNOWN_CHANNEL, 50001, 50013]);

interface Prepared {
  row: ClaimedRow;
  embed: APIEmbed;
  mentionRoleId: string | undefined;
}

export class Dispatcher {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly rest: REST,
    private readonly logger: Logger,
  ) {}

  /** Posts everything due now; returns how many rows it settled (sent, blocked, skipped or failed). */
  async runOnce(): Promise<number> {
    const rows = await claimDue(this.prisma, CLAIM_LIMIT);
    const groups = new Map<string, ClaimedRow[]>();
    for (const row of rows) {
      const key = `${row.userId}:${row.family}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const settled = await Promise.all([...groups.values()].map((group) => this.#deliverGroup(group)));
    return settled.reduce((a, b) => a + b, 0);
  }

  async #deliverGroup(rows: ClaimedRow[]): Promise<number> {
    const { userId, family } = rows[0]!;
    const integration = await this.prisma.discordIntegration.findUnique({ where: { userId } });
    if (!integration) return this.#settle(rows, { status: "SKIPPED", lastError: "no /setup for this user any more" });
    const state = familyState(integration, family);
    if (!state.enabled) return this.#settle(rows, { status: "SKIPPED", lastError: "family switched off" });
    if (!state.channelId) return this.#settle(rows, { status: "BLOCKED", lastError: "no channel: run /setup" });

    const prepared: Prepared[] = [];
    let settled = 0;
    for (const row of rows) {
      const parsed = notificationEvent.safeParse(row.payload);
      if (!parsed.success) {
        settled += await this.#settle([row], { status: "FAILED", lastError: `invalid payload: ${parsed.error.message.slice(0, 500)}` });
        continue;
      }
      const mentionRoleId = parsed.data.kind === "alarm" ? parsed.data.mentionRoleId : undefined;
      prepared.push({ row, embed: formatEvent(parsed.data), mentionRoleId });
    }

    const batches = await this.#batches(prepared);
    for (const [i, batch] of batches.entries()) {
      const outcome = await this.#post(state.channelId, family, userId, batch);
      if (outcome === "sent" || outcome === "refused") {
        settled += batch.length;
        continue;
      }
      // Keep order within a channel: everything after a failed batch shares its fate.
      const remaining = batches.slice(i).flat().map((p) => p.row);
      if (outcome === "unusable") settled += await this.#settle(remaining, { status: "BLOCKED", lastError: "channel unusable: run /setup" });
      else await this.#retryLater(remaining, outcome.error);
      break;
    }
    return settled;
  }

  /** Rows already given a batch keep it (its id is the nonce Discord dedupes on); new rows are packed. */
  async #batches(prepared: Prepared[]): Promise<Prepared[][]> {
    const batches: Prepared[][] = [];
    const byId = new Map<string, Prepared[]>();
    let open: Prepared[] = [];
    let chars = 0;
    const close = () => {
      if (open.length) batches.push(open);
      open = [];
      chars = 0;
    };
    for (const item of prepared) {
      if (item.row.batchId) {
        const existing = byId.get(item.row.batchId);
        if (existing) existing.push(item);
        else {
          const batch = [item];
          byId.set(item.row.batchId, batch);
          batches.push(batch);
        }
        continue;
      }
      const size = embedSize(item.embed);
      if (open.length === EMBEDS_PER_MESSAGE || chars + size > EMBED_CHARS_PER_MESSAGE) close();
      open.push(item);
      chars += size;
    }
    close();
    for (const batch of batches) {
      if (batch[0]!.row.batchId) continue;
      const batchId = batch[0]!.row.id;
      await this.prisma.notificationOutbox.updateMany({ where: { id: { in: batch.map((p) => p.row.id) } }, data: { batchId } });
      for (const p of batch) p.row.batchId = batchId;
    }
    return batches;
  }

  async #post(
    channelId: string,
    family: NotificationFamily,
    userId: string,
    batch: Prepared[],
  ): Promise<"sent" | "refused" | "unusable" | { error: unknown }> {
    const rows = batch.map((p) => p.row);
    const roles = [...new Set(batch.flatMap((p) => (p.mentionRoleId ? [p.mentionRoleId] : [])))];
    const body: RESTPostAPIChannelMessageJSONBody = {
      embeds: batch.map((p) => p.embed),
      ...(roles.length && { content: roles.map((id) => `<@&${id}>`).join(" ") }),
      allowed_mentions: { parse: [], roles },
      // Discord returns the message it already has for this nonce instead of creating a second one.
      nonce: rows[0]!.batchId!,
      enforce_nonce: true,
    };
    try {
      const message = (await this.rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
      await this.#settle(rows, { status: "SENT", channelId, messageId: message.id, sentAt: new Date() });
      return "sent";
    } catch (error) {
      if (error instanceof DiscordAPIError && typeof error.code === "number" && CHANNEL_UNUSABLE.has(error.code)) {
        if (error.code === UNKNOWN_CHANNEL) {
          // Forget the channel so /setup recreates it; only if nobody has repaired it meanwhile.
          await this.prisma.discordIntegration.updateMany({
            where: { userId, [channelColumn(family)]: channelId },
            data: { [channelColumn(family)]: null },
          });
        }
        this.logger.warn({ userId, family, channelId, code: error.code }, "notification channel unusable: waiting for /setup");
        return "unusable";
      }
      if (error instanceof DiscordAPIError && error.status >= 400 && error.status < 500 && error.status !== 429) {
        this.logger.error({ err: error, userId, family, rows: rows.map((r) => r.id) }, "Discord refused a notification");
        await this.#settle(rows, { status: "FAILED", lastError: `${error.code}: ${error.message}` });
        return "refused";
      }
      return { error };
    }
  }

  async #retryLater(rows: ClaimedRow[], error: unknown): Promise<void> {
    const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(attempts, 20)) * (0.5 + Math.random() / 2);
    this.logger.warn({ err: error, attempts, retryInMs: Math.round(delay) }, "posting a notification failed; will retry");
    await this.prisma.notificationOutbox.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { attempts, nextAttemptAt: new Date(Date.now() + delay), lockedUntil: null, lastError: String((error as Error).message ?? error).slice(0, 500) },
    });
  }

  async #settle(
    rows: ClaimedRow[],
    data: { status: "SENT" | "BLOCKED" | "SKIPPED" | "FAILED"; lastError?: string; channelId?: string; messageId?: string; sentAt?: Date },
  ): Promise<number> {
    const { count } = await this.prisma.notificationOutbox.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { ...data, lockedUntil: null },
    });
    return count;
  }
}
