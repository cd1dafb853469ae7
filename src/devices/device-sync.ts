// Keeps devices in step with the game. After every (re)connect each reachable device of the server is read
// with getEntityInfo at background priority, which is also what subscribes the socket to its entityChanged
// broadcasts; those broadcasts then update the stored state and the card.
import { z } from "zod";
import type { Notifier } from "../notify/notifier.ts";
import type { AppBroadcast } from "../rustplus/connection.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { Priority } from "../rustplus/rate-budget.ts";
import { RustPlusError, RustPlusUnavailable } from "../rustplus/rust-errors.ts";
import type { SmartDevice } from "../generated/prisma/client.ts";
import { updateDevice, type CardDeps, type Drawn } from "./draw-device.ts";
import { deviceUpdate, entityPayload } from "./entity-payload.ts";
import { markUnreachable } from "./mark-unreachable.ts";
import { WorkSet } from "../work-set.ts";

const READABLE = ["SWITCH", "ALARM", "STORAGE_MONITOR"] as const;
const entityId = z.number().int().min(0).max(2 ** 32 - 1);

export interface SyncDeps extends CardDeps {
  rust: ConnectionManager;
  notifier: Notifier;
}

/**
 * A card drawn by the sync. `changedAt`: when the game broadcast the change (entityChanged); null for a reading
 * (getEntityInfo after a (re)connect or pairing, which may show changes made while nobody listened); absent when the
 * card was only redrawn.
 */
export type SyncDrawn = Drawn & { changedAt?: Date | null };

export class DeviceSync {
  readonly #work = new WorkSet((err) => this.deps.logger.error({ err }, "syncing smart devices failed"));
  readonly #onDrawn = new Set<(drawn: SyncDrawn) => void>();

  constructor(private readonly deps: SyncDeps) {}

  start(): void {
    // Not awaited: a server with many devices must not hold up the other reconnect hooks.
    this.deps.rust.onReady((serverId) => {
      this.#work.track(this.#readServer(serverId));
      return Promise.resolve();
    });
    this.deps.rust.on("broadcast", (serverId, broadcast) => {
      if (broadcast.entityChanged) this.#work.track(this.#changed(serverId, broadcast.entityChanged));
    });
  }

  /** After a pairing commits: read the device now if its server is connected, and draw its card either way. */
  paired(deviceId: string): void {
    this.#work.track(this.#readOne(deviceId));
  }

  /** Called after every card drawn by the sync (tests wait on it). */
  onDrawn(listener: (drawn: SyncDrawn) => void): void {
    this.#onDrawn.add(listener);
  }

  /** Resolves when every reading and redraw started so far is done. */
  async idle(): Promise<void> {
    await this.#work.idle();
  }

  async #readServer(serverId: string): Promise<void> {
    const devices = await this.deps.prisma.smartDevice.findMany({
      where: { pairedServerId: serverId, unreachableSince: null, entityId: { not: null }, kind: { in: [...READABLE] } },
      orderBy: { createdAt: "asc" },
    });
    for (const device of devices) {
      // The socket is gone: the next reconnect starts over.
      if ((await this.#read(device, "background")) === "unavailable") return;
    }
  }

  async #readOne(deviceId: string): Promise<void> {
    const device = await this.deps.prisma.smartDevice.findUnique({ where: { id: deviceId } });
    if (!device) return;
    if (device.unreachableSince || device.entityId === null || this.deps.rust.status(device.pairedServerId)?.state.kind !== "connected") {
      return this.#draw(device.id);
    }
    await this.#read(device, "background");
  }

  async #read(device: SmartDevice, priority: Priority): Promise<"read" | "not-found" | "unavailable"> {
    try {
      const response = await this.deps.rust.request(device.pairedServerId, { entityId: Number(device.entityId), getEntityInfo: {} }, priority);
      const payload = entityPayload.safeParse(response.entityInfo?.payload);
      await this.#draw(device.id, payload.success ? deviceUpdate(device.kind, payload.data, null) : null, null);
      return "read";
    } catch (err) {
      if (err instanceof RustPlusError && err.code === "not_found") {
        await markUnreachable(this.deps.prisma, this.deps.notifier, device);
        await this.#draw(device.id);
        return "not-found";
      }
      this.deps.logger.warn({ err, deviceId: device.id }, "reading a smart device failed");
      await this.#draw(device.id);
      return err instanceof RustPlusUnavailable ? "unavailable" : "read";
    }
  }

  async #changed(serverId: string, change: NonNullable<AppBroadcast["entityChanged"]>): Promise<void> {
    const id = entityId.safeParse(change.entityId);
    const payload = entityPayload.safeParse(change.payload);
    if (!id.success || !payload.success) return;
    const device = await this.deps.prisma.smartDevice.findUnique({ where: { pairedServerId_entityId: { pairedServerId: serverId, entityId: BigInt(id.data) } } });
    if (!device || device.unreachableSince) return;
    const changedAt = new Date();
    const update = deviceUpdate(device.kind, payload.data, changedAt);
    if (update) await this.#draw(device.id, update, changedAt);
  }

  async #draw(deviceId: string, update: Parameters<typeof updateDevice>[2] = null, changedAt?: Date | null): Promise<void> {
    const drawn = await updateDevice(this.deps, deviceId, update);
    if (!drawn) return;
    const event: SyncDrawn = changedAt === undefined ? drawn : { ...drawn, changedAt };
    for (const listener of this.#onDrawn) listener(event);
  }
}
