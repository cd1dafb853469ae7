// Sales of the team's own vending machines, noticed from their storage monitors' contents (a DeviceSync listener):
// each drawn change is classified (stock.ts), sales are kept in ShopSale and posted to #shop as a `shop-alert`.
// Once per change: the alert's dedupeKey is the device and the time of the row before the change, and the sale rows
// commit with it (a change seen twice writes nothing twice). A reading after a reconnect (getEntityInfo, changedAt
// null) that shows the same contents changes nothing; one that shows stock gone while payment came in (sold while no
// socket listened) is posted once as "sold while the bot was away": the sales are real, only their time is unknown
// (they are recorded at the reading).
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { isVendingMachine, MAX_ITEM_QUANTITY, readContents } from "../../devices/entity-payload.ts";
import type { SyncDrawn } from "../../devices/device-sync.ts";
import type { Logger } from "../../logger.ts";
import type { Notifier } from "../../notify/notifier.ts";
import { serverLabel } from "../../pairing/server-card.ts";
import { itemNamesById } from "../../tools/items/item-names.ts";
import { WorkSet } from "../../work-set.ts";
import { alertParts } from "./alert-parts.ts";
import { classifyChange, itemLabel } from "./stock.ts";

export interface OwnShopDeps {
  prisma: PrismaClient;
  notifier: Pick<Notifier, "notify">;
  logger: Logger;
}

export class OwnShopSales {
  readonly #work: WorkSet;

  constructor(private readonly deps: OwnShopDeps) {
    this.#work = new WorkSet((err) => deps.logger.error({ err }, "recording an own shop's sale failed"));
  }

  /** Register with DeviceSync.onDrawn. */
  readonly listener = (drawn: SyncDrawn): void => {
    if (drawn.changedAt === undefined || drawn.device.kind !== "STORAGE_MONITOR") return;
    void this.#work.track(this.#changed(drawn, drawn.changedAt));
  };

  /** Resolves when every change handed over so far is recorded (tests). */
  idle(): Promise<void> {
    return this.#work.idle();
  }

  async #changed(drawn: SyncDrawn, changedAt: Date | null): Promise<void> {
    const before = readContents(drawn.previous.contents);
    const after = readContents(drawn.device.contents);
    // The first reading of a new monitor, or a box that is not (or was not) a vending machine: nothing to compare.
    if (!before || !after || !isVendingMachine(before) || !isVendingMachine(after)) return;
    const change = classifyChange(before, after);
    if (change.kind !== "sale") return;
    const { prisma, notifier } = this.deps;
    const names = await itemNamesById(prisma, change.sold.map((l) => l.itemId));
    const away = changedAt === null;
    const lines = [
      ...change.sold.map((l) => `${away ? "Sold while the bot was away" : "Sold"} ${l.quantity.toLocaleString("en-US")} × ${itemLabel(l, names)}`),
      ...change.soldOut.map((l) => `Sold out: ${itemLabel(l, names)}`),
    ];
    const at = changedAt ?? new Date();
    const device = drawn.device;
    const key = `shop-sale:${device.id}:${drawn.previous.updatedAt.getTime()}`;
    await prisma.$transaction(async (tx) => {
      let duplicate = false;
      for (const [i, part] of alertParts(device.name, lines).entries()) {
        const outcome = await notifier.notify(
          { userId: device.pairedServer.userId, dedupeKey: `${key}:${i}`, event: { kind: "shop-alert", serverName: serverLabel(device.pairedServer), at: at.toISOString(), ...part } },
          tx,
        );
        if (outcome === "duplicate") duplicate = true;
      }
      if (duplicate) return;
      // Several stacks of a hostile server's huge quantities can sell more than ShopSale.quantity (a 32-bit Int) holds:
      // kept at its largest rather than failing the write, and with it the alert.
      const rows = change.sold.map((l) => ({ deviceId: device.id, itemId: l.itemId, itemIsBlueprint: l.itemIsBlueprint, quantity: Math.min(l.quantity, MAX_ITEM_QUANTITY), at }));
      await tx.shopSale.createMany({ data: rows });
    });
  }
}
