// What an owner is told when their server waits for a Rust+ connection slot, and when it gets one.
//
// A Rust server accepts at most `cap` Rust+ connections per source address (app.maxconnectionsperip, 5 unless the
// operator set a RustServerLimit), so the fleet has cap × (its egress addresses) slots to one server. The scheduler
// (lease-keeper) calls noSlot when its own process has no free slot for a server it should connect; noSlot checks
// the whole fleet itself, in one transaction with the record: only when no alive process has a free slot does the
// server count as waiting (PairedServer.slotWaitSince) and its owner hear why, once per wait. gotSlot ends the
// wait when the socket opens and, when the owner was told, says it is connected now.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";
import { fleetCapacity } from "./fleet-capacity.ts";
import type { SlotWaits } from "./types.ts";

export interface SlotWaitOptions {
  /** FLEET_LEASE_TTL_MS: a process whose heartbeat is older is not counted (ms). */
  leaseTtlMs: number;
  /** Called after a server starts or stops waiting (its card redraws: "waiting for a connection slot"). */
  onChange?: (pairedServerId: string) => void;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "es"}`;

/**
 * The notice for a server that waits: every one of the bot's `cap × addresses` slots to it is in use. Exported for
 * tests and `npm run fleet -- status`.
 */
export function slotWaitText(serverName: string, cap: number, addresses: number): string {
  const slots = cap * addresses;
  return (
    `${serverName} is waiting for a connection slot: the game server allows only ${cap} Rust+ connection${cap === 1 ? "" : "s"} per address, ` +
    `and every one of the bot's ${slots} connection slot${slots === 1 ? "" : "s"} to it (${cap} per address × ${plural(addresses, "address")}) is in use by other teams. ` +
    "The bot connects by itself as soon as one frees; nothing to do."
  );
}

export class SlotWaitNotices implements SlotWaits {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly notifier: Pick<Notifier, "notify">,
    private readonly logger: Logger,
    private readonly options: SlotWaitOptions,
  ) {}

  /**
   * `info`: the Rust server ("ip:port"), its cap per address, and the addresses the caller knows of in the fleet
   * (a floor for the notice when the process registry lags). When the whole fleet is full the server waits
   * (slotWaitSince) and, if this wait is new, the owner is told; while some alive process has a free slot nothing
   * is recorded. Throws what the database throws.
   */
  async noSlot(pairedServerId: string, info: { rustServer: string; cap: number; addressesInFleet: number }): Promise<void> {
    const told = await this.prisma.$transaction(async (tx) => {
      const fleet = await fleetCapacity(tx, info.rustServer, info.cap, this.options.leaseTtlMs);
      if (fleet.free > 0) return false;
      const since = new Date();
      const { count } = await tx.pairedServer.updateMany({ where: { id: pairedServerId, slotWaitSince: null, live: true }, data: { slotWaitSince: since } });
      if (count === 0) return false;
      const row = await tx.pairedServer.findUniqueOrThrow({ where: { id: pairedServerId }, select: { userId: true, serverName: true, ip: true, port: true } });
      const name = row.serverName || `${row.ip}:${row.port}`;
      const addresses = Math.max(fleet.addresses.length, info.addressesInFleet, 1);
      await this.notifier.notify(
        {
          userId: row.userId,
          dedupeKey: `slot-wait:${pairedServerId}:${since.getTime()}`,
          event: { kind: "server-status", serverName: name, text: slotWaitText(name, info.cap, addresses), at: since.toISOString() },
        },
        tx,
      );
      return true;
    });
    if (!told) return;
    this.logger.info({ serverId: pairedServerId, rustServer: info.rustServer, cap: info.cap }, "no connection slot anywhere in the fleet: the owner was told the server waits");
    this.options.onChange?.(pairedServerId);
  }

  /** Ends the wait, if any, and tells the owner the server is connected now. Throws what the database throws. */
  async gotSlot(pairedServerId: string): Promise<void> {
    const ended = await this.prisma.$transaction(async (tx) => {
      const row = await tx.pairedServer.findUnique({ where: { id: pairedServerId }, select: { userId: true, serverName: true, ip: true, port: true, slotWaitSince: true } });
      if (!row?.slotWaitSince) return false;
      const { count } = await tx.pairedServer.updateMany({ where: { id: pairedServerId, slotWaitSince: row.slotWaitSince }, data: { slotWaitSince: null } });
      if (count === 0) return false;
      const name = row.serverName || `${row.ip}:${row.port}`;
      await this.notifier.notify(
        {
          userId: row.userId,
          dedupeKey: `slot-got:${pairedServerId}:${row.slotWaitSince.getTime()}`,
          event: { kind: "server-status", serverName: name, text: `${name} is connected now: a connection slot freed up.`, at: new Date().toISOString() },
        },
        tx,
      );
      return true;
    });
    if (ended) this.options.onChange?.(pairedServerId);
  }
}
