// Warn a player when their pushes stop arriving: their channel to Google failed or has stayed down, or they
// have live paired servers but no push has come for days (the Rust+ registration was replaced or revoked).
// "Down" comes from the channel's heartbeat (mcs-client.ts): a connection that stops answering is marked down
// within a ping interval plus the ack deadline and replaced, so a dead channel is not mistaken for a quiet one;
// the three days of silence only catch a registration Google no longer routes to a live channel.
// One warning per episode: the dedupe key names the credential and its last push, so a push arriving
// starts a new episode. Runs in the bot process, which owns the channels.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";

export interface ChannelHealth {
  connected: boolean;
  /** When it came up, or (not connected) since when it has been down. */
  since: Date;
  /** It reported a failure it does not recover from by itself. */
  failed: boolean;
}

export const CHANNEL_DOWN_WARN_MS = 60 * 60_000;
export const SILENCE_WARN_MS = 3 * 86_400_000;
const EVERY_MS = 10 * 60_000;

const FIX = "Run `npx @liamcottle/rustplus.js fcm-register` on your PC again, then `/credentials add` (or `/credentials code` for the companion tool).";

export async function warnStoppedPushes(
  prisma: PrismaClient,
  notifier: Notifier,
  channels: ReadonlyMap<string, Readonly<ChannelHealth>>,
  now = new Date(),
): Promise<number> {
  const down = [...channels].filter(([, h]) => !h.connected && (h.failed || now.getTime() - h.since.getTime() >= CHANNEL_DOWN_WARN_MS)).map(([userId]) => userId);
  const cutoff = new Date(now.getTime() - SILENCE_WARN_MS);
  const select = { id: true, userId: true, lastPushAt: true, updatedAt: true } as const;
  const [unreachable, silent] = await Promise.all([
    down.length ? prisma.fcmCredential.findMany({ where: { userId: { in: down } }, select }) : [],
    // Silent: no push since the cutoff, and the credential itself older than that (a replaced one clears lastPushAt).
    prisma.fcmCredential.findMany({
      where: { OR: [{ lastPushAt: { lt: cutoff } }, { lastPushAt: null, updatedAt: { lt: cutoff } }], user: { pairedServers: { some: { live: true } } } },
      select,
    }),
  ]);
  const warnings = new Map<string, { row: (typeof silent)[number]; text: string }>();
  for (const row of silent) {
    warnings.set(row.userId, { row, text: `No Rust+ push has reached the bot for over three days, although you have live paired servers. Your registration may have been replaced (a new fcm-register or the Rust+ app signing in elsewhere). ${FIX}` });
  }
  for (const row of unreachable) {
    warnings.set(row.userId, { row, text: `The bot cannot keep a connection to Google's push service with your Rust+ credentials, so pairings and alarms are not arriving. ${FIX}` });
  }
  let warned = 0;
  for (const { row, text } of warnings.values()) {
    const episode = (row.lastPushAt ?? row.updatedAt).getTime();
    const outcome = await notifier.notify({
      userId: row.userId,
      dedupeKey: `pushes-stopped:${row.id}:${episode}`,
      event: { kind: "account", at: now.toISOString(), title: "Rust+ pushes are not arriving", text },
    });
    if (outcome === "queued") warned++;
  }
  return warned;
}

/** Checks every ten minutes (the first after ten minutes: a channel needs time to come up). */
export function startPushHealthChecks(prisma: PrismaClient, notifier: Notifier, channels: () => ReadonlyMap<string, Readonly<ChannelHealth>>, logger: Logger): () => void {
  const timer = setInterval(() => {
    warnStoppedPushes(prisma, notifier, channels()).catch((err: unknown) => logger.warn({ err }, "push health check failed"));
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
