// Readiness (/readyz): a list of named checks. The sidecar always has the database one; the bot adds the
// Discord gateway's, and the fleet adds its leases' (`fleet.healthy()`) when they run in the same process.
import { Status, type Client } from "discord.js";
import type { PrismaClient } from "../generated/prisma/client.ts";

export interface ReadinessCheck {
  name: string;
  /** true when ready; false or a throw when not. */
  check(): Promise<boolean> | boolean;
}

/** Per check, ms: a probe that hangs counts as failed. */
export const CHECK_TIMEOUT_MS = 2_000;

/** `SELECT 1` answers within the check timeout. */
export function databaseCheck(prisma: PrismaClient): ReadinessCheck {
  return { name: "database", check: async () => (await prisma.$queryRaw<unknown[]>`SELECT 1`).length === 1 };
}

/** Every shard of this process is connected to Discord's gateway (discord.js's Status.Ready). */
export function discordGatewayCheck(client: Client): ReadinessCheck {
  return {
    name: "discord-gateway",
    check: () => client.ws.status === Status.Ready && client.ws.shards.size > 0 && client.ws.shards.every((s) => s.status === Status.Ready),
  };
}

/** Runs every check at once, each bounded by `timeoutMs`: name → passed. */
export async function runChecks(checks: readonly ReadinessCheck[], timeoutMs = CHECK_TIMEOUT_MS): Promise<Record<string, boolean>> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      try {
        const ok = await Promise.race([Promise.resolve().then(check), timedOut]);
        return [name, ok === true] as const;
      } catch {
        return [name, false] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(results);
}
