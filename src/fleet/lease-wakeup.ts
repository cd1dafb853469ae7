// PostgreSQL LISTEN on a dedicated session: a process that gives leases back (shutting down) or asks for a
// user's work NOTIFYs, and every other process runs a round at once instead of waiting for its next one.
import type pg from "pg";
import { connectPostgres } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import { LEASE_CHANNEL } from "./lease-keeper.ts";

/** Listens until the returned close(); `onWake` runs for each notification. Throws when it cannot connect. */
export async function listenForLeases(url: string, logger: Logger, onWake: () => void): Promise<() => Promise<void>> {
  const client: pg.Client = await connectPostgres(url);
  client.on("notification", (message) => {
    if (message.channel === LEASE_CHANNEL) onWake();
  });
  // A lost session only costs the fast path: the rounds still take work over within the TTL.
  client.on("error", (err) => logger.warn({ err: err.message }, "the fleet's LISTEN session failed"));
  await client.query(`LISTEN ${LEASE_CHANNEL}`);
  return async () => {
    await client.end().catch(() => undefined);
  };
}
