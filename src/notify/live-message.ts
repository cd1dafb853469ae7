// Live messages: one Discord message per (user, key) kept up to date in place, such as a paired server's
// card in the status channel or a device's card with its buttons. Posted once into the family's channel,
// edited only when the content changes (and only the newest of several waiting states: see upsertLiveMessage),
// reposted once if someone deleted it. Never throws: a caller (the
// connection manager) gets an outcome; 429s and 5xx are retried inside @discordjs/rest first.
import type { REST } from "@discordjs/rest";
import { Routes, type APIMessage } from "discord-api-types/v10";
import type { LiveMessage, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { fitEmbed } from "../bot/fit-payload.ts";
import { ConcurrencyLimit } from "../bot/concurrency-limit.ts";
import { serialize } from "../bot/serialize.ts";
import { CHANNEL_UNUSABLE, UNKNOWN_CHANNEL, UNKNOWN_MESSAGE, describeError, discordCode, isRefusal, forgetChannel } from "./discord-errors.ts";
import { familyChannel, type NoChannelReason } from "./family-channel.ts";
import { contentHash, liveMessageBody, liveMessageInput, type LiveMessageInput } from "./live-message-content.ts";

export type { LiveMessageInput } from "./live-message-content.ts";

export type LiveMessageResult =
  | { outcome: "posted" | "reposted" | "edited" | "unchanged"; channelId: string; messageId: string }
  /** Nothing was sent: no /setup, the family is switched off, or its channel is gone until /setup repairs it. */
  | { outcome: "no-channel"; reason: NoChannelReason }
  | { outcome: "failed"; error: string };

export type RemoveLiveMessageResult = { outcome: "removed" | "absent" } | { outcome: "failed"; error: string };

interface Deps {
  prisma: PrismaClient;
  rest: REST;
  logger: Logger;
}

/** An upsert waiting for the one before it; a newer state replaces its input, and its callers share the outcome. */
interface PendingUpsert {
  deps: Deps;
  input: LiveMessageInput;
  replaced: ((result: LiveMessageResult) => void)[];
}
const pendingUpserts = new Map<string, PendingUpsert>();

/**
 * Live messages being written at once in this process. Each one is a few database queries around a REST
 * call; unbounded, a burst of card updates (hundreds of servers' cards after a restart or an info tick) fills
 * the database pool's queue, and an alarm's enqueue and dispatch queries then wait behind all of it (the fleet
 * bench measured alarm p99 4.3× its quiet value under such a flood, the wait in the database, not in REST).
 * Discord takes at most 50 requests/s anyway, so a few at a time lose no throughput; waiting states keep
 * being coalesced while they wait for a slot.
 */
const LIVE_MESSAGE_CONCURRENCY = 8;
const writing = new ConcurrencyLimit(LIVE_MESSAGE_CONCURRENCY);

/**
 * Posts or edits the live message `key` of this user. Calls for one key run one at a time in this process, and
 * are coalesced: while one runs (its edit perhaps waiting for Discord's global limit), only the newest state
 * waits behind it; an older waiting state is dropped unposted, and its caller gets the newer one's outcome.
 */
export function upsertLiveMessage(prisma: PrismaClient, rest: REST, logger: Logger, given: LiveMessageInput): Promise<LiveMessageResult> {
  // Names in the embed come from the game: cut to Discord's limits rather than refused.
  const input = { ...given, embed: fitEmbed(given.embed) };
  const parsed = liveMessageInput.safeParse(input);
  if (!parsed.success) {
    logger.error({ userId: input.userId, key: input.key, issues: parsed.error.issues }, "invalid live message");
    return Promise.resolve({ outcome: "failed", error: `invalid live message: ${parsed.error.message.slice(0, 500)}` });
  }
  const deps = { prisma, rest, logger };
  const key = lockKey(input);
  const waiting = pendingUpserts.get(key);
  if (waiting) {
    waiting.deps = deps;
    waiting.input = input;
    return new Promise((resolve) => waiting.replaced.push(resolve));
  }
  const pending: PendingUpsert = { deps, input, replaced: [] };
  pendingUpserts.set(key, pending);
  return serialize(key, () =>
    writing.run(async () => {
      // Running now: a later call waits behind this one instead of replacing it.
      if (pendingUpserts.get(key) === pending) pendingUpserts.delete(key);
      const result = await guard(pending.deps, pending.input, () => upsert(pending.deps, pending.input));
      for (const resolve of pending.replaced) resolve(result);
      return result;
    }),
  );
}

/** Deletes the message and forgets it. A message someone already deleted counts as removed. */
export function removeLiveMessage(
  prisma: PrismaClient,
  rest: REST,
  logger: Logger,
  input: { userId: string; key: string },
): Promise<RemoveLiveMessageResult> {
  const parsed = liveMessageInput.pick({ userId: true, key: true }).safeParse(input);
  if (!parsed.success) return Promise.resolve({ outcome: "failed", error: `invalid live message key: ${parsed.error.message.slice(0, 500)}` });
  const deps = { prisma, rest, logger };
  // An upsert already waiting runs before this removal; one called after it must wait behind it, not merge into that.
  pendingUpserts.delete(lockKey(input));
  return serialize(lockKey(input), () =>
    guard(deps, input, async (): Promise<RemoveLiveMessageResult> => {
      const row = await prisma.liveMessage.findUnique({ where: { userId_key: { userId: input.userId, key: input.key } } });
      if (!row) return { outcome: "absent" };
      await deleteMessage(deps, row);
      await prisma.liveMessage.deleteMany({ where: { id: row.id } });
      return { outcome: "removed" };
    }),
  );
}

const lockKey = (input: { userId: string; key: string }) => `live-message:${input.userId}:${input.key}`;

async function guard<T>(deps: Deps, input: { userId: string; key: string }, work: () => Promise<T>): Promise<T | { outcome: "failed"; error: string }> {
  try {
    return await work();
  } catch (error) {
    deps.logger.error({ err: error, userId: input.userId, key: input.key }, "live message update failed");
    return { outcome: "failed", error: describeError(error) };
  }
}

async function upsert(deps: Deps, input: LiveMessageInput, reposting = false): Promise<LiveMessageResult> {
  const { prisma, rest } = deps;
  const body = liveMessageBody(input);
  const hash = input.contentKey ?? contentHash(body);
  const files = input.files?.map((f) => ({ name: f.name, data: f.data }));
  const row = await prisma.liveMessage.findUnique({ where: { userId_key: { userId: input.userId, key: input.key } } });
  const target = await familyChannel(prisma, input.userId, input.family, deps);
  if ("reason" in target) return { outcome: "no-channel", reason: target.reason };

  if (row && row.channelId === target.channelId) {
    const at = { channelId: row.channelId, messageId: row.messageId };
    if (row.contentHash === hash && row.family === input.family) return { outcome: "unchanged", ...at };
    try {
      await rest.patch(Routes.channelMessage(row.channelId, row.messageId), files ? { body: { ...body, attachments: [] }, files } : { body });
    } catch (error) {
      const code = discordCode(error);
      if (code !== UNKNOWN_MESSAGE && code !== UNKNOWN_CHANNEL) return failure(deps, input, error);
      if (reposting) return failure(deps, input, error);
      // Deleted by someone: forget it and post a new one, once.
      deps.logger.info({ userId: input.userId, key: input.key, code }, "live message was deleted: reposting");
      if (code === UNKNOWN_CHANNEL) await forgetChannel(prisma, input.family, row.channelId);
      await prisma.liveMessage.deleteMany({ where: { id: row.id } });
      const again = await upsert(deps, input, true);
      return again.outcome === "posted" ? { ...again, outcome: "reposted" } : again;
    }
    await prisma.liveMessage.updateMany({ where: { id: row.id }, data: { contentHash: hash, family: input.family } });
    return { outcome: "edited", ...at };
  }

  // First post, or the family's channel moved (/setup in another guild, or repaired): post there.
  let message: APIMessage;
  try {
    message = (await rest.post(Routes.channelMessages(target.channelId), { body, ...(files && { files }) })) as APIMessage;
  } catch (error) {
    if (discordCode(error) === UNKNOWN_CHANNEL) await forgetChannel(prisma, input.family, target.channelId);
    return failure(deps, input, error);
  }
  const at = { channelId: target.channelId, messageId: message.id };
  const data = { family: input.family, ...at, contentHash: hash };
  // The unique row is the guard across processes: whoever writes it first owns the message.
  const won = row
    ? (await prisma.liveMessage.updateMany({ where: { id: row.id, messageId: row.messageId }, data })).count === 1
    : (await prisma.liveMessage.createMany({ data: [{ userId: input.userId, key: input.key, ...data }], skipDuplicates: true })).count === 1;
  if (!won) {
    await deleteMessage(deps, { ...at, userId: input.userId, key: input.key });
    if (reposting) return { outcome: "failed", error: "another process keeps replacing this live message" };
    return upsert(deps, input, true);
  }
  if (row) await deleteMessage(deps, row);
  return { outcome: row || reposting ? "reposted" : "posted", ...at };
}

function failure(deps: Deps, input: LiveMessageInput, error: unknown): LiveMessageResult {
  const code = discordCode(error);
  if (!isRefusal(error)) throw error; // a network failure or a 5xx that outlasted the REST retries: guard() reports it
  const unusable = code !== undefined && CHANNEL_UNUSABLE.has(code);
  deps.logger.warn({ userId: input.userId, key: input.key, family: input.family, code }, unusable ? "live message channel unusable: waiting for /setup" : "Discord refused a live message");
  return { outcome: "failed", error: unusable ? `channel unusable (${describeError(error)}): run /setup` : describeError(error) };
}

/** Best effort: a message or channel already gone is fine; anything else is logged. */
async function deleteMessage(deps: Deps, row: Pick<LiveMessage, "channelId" | "messageId" | "userId" | "key">): Promise<void> {
  try {
    await deps.rest.delete(Routes.channelMessage(row.channelId, row.messageId));
  } catch (error) {
    const code = discordCode(error);
    if (code === UNKNOWN_MESSAGE || code === UNKNOWN_CHANNEL) return;
    if (!isRefusal(error)) throw error;
    deps.logger.warn({ userId: row.userId, key: row.key, code }, "could not delete a live message");
  }
}
