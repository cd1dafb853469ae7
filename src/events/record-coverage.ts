// Recording which marker kinds a server does not report through Rust+ (PairedServer.unreportedMarkers) and
// telling the owner in #server-status, once per change: the row says what was told, so a restart, a reconnect
// or a second poll with the same finding posts nothing more.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Notifier } from "../notify/notifier.ts";
import { SILENT_AFTER_MS } from "./marker-watch.ts";
import type { ServerContext } from "./post.ts";
import { kindNames, storedKinds, type WatchedKind } from "./watched-kinds.ts";

export interface CoverageChange {
  /** Kinds the watch found silent for long enough. */
  silent: readonly WatchedKind[];
  /** Kinds seen again. */
  back: readonly WatchedKind[];
}

/**
 * Adds the silent kinds not yet recorded and removes the kinds seen again that were, and queues one notification for
 * each side that changed, in one transaction. `now` in ms.
 */
export async function recordCoverage(prisma: PrismaClient, notifier: Notifier, server: ServerContext, change: CoverageChange, now: number): Promise<void> {
  const at = new Date(now).toISOString();
  await prisma.$transaction(async (tx) => {
    const row = await tx.pairedServer.findUnique({ where: { id: server.serverId }, select: { unreportedMarkers: true } });
    if (!row) return;
    const before = storedKinds(row.unreportedMarkers);
    const silent = change.silent.filter((k) => !before.includes(k));
    const back = change.back.filter((k) => before.includes(k));
    if (!silent.length && !back.length) return;
    const kinds = storedKinds([...before.filter((k) => !back.includes(k)), ...silent]);
    await tx.pairedServer.update({ where: { id: server.serverId }, data: { unreportedMarkers: kinds } });
    const tell = (what: string, text: string) =>
      notifier.notify({ userId: server.userId, dedupeKey: `markers-${what}:${server.serverId}:${now}`, event: { kind: "server-status", serverName: server.serverName, at, text } }, tx);
    if (silent.length) await tell("unreported", silentText(silent));
    if (back.length) await tell("reported", `Rust+ reports ${kindNames(back)} on this server again: ${back.length > 1 ? "their" : "its"} map events are posted again.`);
  });
  // Queued inside the transaction: wake the notifier now that the rows are committed.
  notifier.kick();
}

function silentText(kinds: readonly WatchedKind[]): string {
  const events = kinds.filter((k): k is Exclude<WatchedKind, "vending"> => k !== "vending");
  const parts: string[] = [];
  if (events.length) {
    const hours = Math.max(...events.map((k) => SILENT_AFTER_MS[k])) / 3_600_000;
    parts.push(`Rust+ has not reported ${kindNames(events)} on this server in ${hours} hours of watching: this server does not send ${events.length > 1 ? "these map markers" : "this map marker"}, so ${events.length > 1 ? "their" : "its"} events cannot be posted.`);
  }
  if (kinds.includes("vending")) {
    parts.push("Rust+ reports no vending machines on this server, not even the ones Outpost and Bandit Camp always have: new vending machines cannot be posted.");
  }
  parts.push("Official servers stopped sending these in the game's August 2026 update. The bot keeps watching and says so if they come back.");
  return parts.join(" ");
}
