// Each paired server's card in its owner's status channel, kept current: redrawn at once when the connection
// state changes, and with fresh server info at most every few minutes (Discord edits are rate limited).
import type { REST } from "@discordjs/rest";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { NotificationFamily } from "../notify/families.ts";
import { removeLiveMessage, upsertLiveMessage } from "../notify/live-message.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { realTimers, type Timers } from "../rustplus/timers.ts";
import { serverButtons, serverCard, stateLine } from "./server-card.ts";
import { WorkSet } from "../work-set.ts";

export const cardKey = (serverId: string) => `server:${serverId}`;

export class ServerCards {
  readonly #lastState = new Map<string, string>();
  readonly #lastAt = new Map<string, number>();
  readonly #work = new WorkSet((err) => this.logger.error({ err }, "drawing a server card failed"));

  constructor(
    private readonly prisma: PrismaClient,
    private readonly rest: REST,
    private readonly logger: Logger,
    private readonly manager: ConnectionManager,
    private readonly options: { refreshEveryMs?: number; timers?: Timers } = {},
  ) {}

  start(): void {
    this.manager.on("state", (serverId) => this.#changed(serverId, false));
    this.manager.on("snapshot", (serverId) => this.#changed(serverId, true));
  }

  /** Redraws one server's card now (after a command changed it). */
  refresh(serverId: string): Promise<void> {
    return this.#work.track(this.#draw(serverId));
  }

  async remove(userId: string, serverId: string): Promise<void> {
    this.#lastState.delete(serverId);
    this.#lastAt.delete(serverId);
    const result = await removeLiveMessage(this.prisma, this.rest, this.logger, { userId, key: cardKey(serverId) });
    if (result.outcome === "failed") this.logger.warn({ serverId, error: result.error }, "could not remove a server card");
  }

  /** Resolves when every redraw started so far is done. */
  async idle(): Promise<void> {
    await this.#work.idle();
  }

  #changed(serverId: string, snapshot: boolean): void {
    // The process that takes the socket over draws the card from now on.
    if (this.manager.handedOver(serverId)) return;
    const now = (this.options.timers ?? realTimers).now();
    const last = this.#lastAt.get(serverId);
    if (snapshot && last !== undefined && now - last < (this.options.refreshEveryMs ?? 5 * 60_000)) return;
    void this.#work.track(this.#draw(serverId, snapshot ? undefined : this.#lastState.get(serverId)));
  }

  /** `unlessState`: skip when the card's state line would read the same (connection retries). */
  async #draw(serverId: string, unlessState?: string): Promise<void> {
    const row = await this.prisma.pairedServer.findUnique({ where: { id: serverId } });
    if (!row) return;
    const status = this.manager.status(serverId);
    const state = stateLine(row, status).text;
    if (unlessState !== undefined && unlessState === state) return;
    this.#lastState.set(serverId, state);
    this.#lastAt.set(serverId, (this.options.timers ?? realTimers).now());
    const result = await upsertLiveMessage(this.prisma, this.rest, this.logger, {
      userId: row.userId,
      key: cardKey(serverId),
      family: NotificationFamily.STATUS,
      embed: serverCard(row, status),
      buttons: serverButtons(row),
    });
    if (result.outcome === "failed") this.logger.warn({ serverId, error: result.error }, "could not update a server card");
  }
}
