// Alarms and raid warnings from the live socket: a smart alarm triggering (its device's lastTriggeredAt moves)
// and a tool cupboard's upkeep running out (its storage monitor's protection expiry drops to 0). Both are
// noticed where device state is recorded (DeviceSync), so they follow exactly what the cards show.
import type { Prisma } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Drawn } from "../devices/draw-device.ts";
import { isToolCupboard, readContents } from "../devices/entity-payload.ts";
import type { Notifier } from "../notify/notifier.ts";
import { serverLabel } from "../pairing/server-card.ts";
import type { PushEvent } from "../rustplus/push-events.ts";
import type { AlarmMatcher } from "./matcher.ts";
import { WorkSet } from "../work-set.ts";

type AlarmPush = Extract<PushEvent, { kind: "alarm" }>;

export interface AlarmDecision {
  post: boolean;
  mentionRoleId?: string;
}

export class AlarmWatcher {
  readonly #work = new WorkSet((err) => this.logger.error({ err }, "posting an alarm failed"));

  constructor(
    private readonly notifier: Notifier,
    private readonly logger: Logger,
    private readonly matcher: AlarmMatcher,
  ) {}

  /** Give it every device DeviceSync records. */
  drawn(drawn: Drawn): void {
    const { device, previous } = drawn;
    if (device.kind === "ALARM" && device.lastTriggeredAt && device.lastTriggeredAt.getTime() !== previous.lastTriggeredAt?.getTime()) {
      this.#work.track(this.#alarm(drawn));
    }
    if (device.kind === "STORAGE_MONITOR") {
      const before = readContents(previous.contents);
      const now = readContents(device.contents);
      if (now && isToolCupboard(now) && before && before.protectionExpiry > 0 && now.protectionExpiry === 0) this.#work.track(this.#decay(drawn, before.protectionExpiry));
    }
  }

  /** For an alarm push, inside its transaction: whether to post it (the socket may have posted it already) and whom to mention. */
  async fromPush(tx: Prisma.TransactionClient, userId: string, event: AlarmPush): Promise<AlarmDecision> {
    const server = await tx.pairedServer.findUnique({ where: { userId_ip_port: { userId, ip: event.server.ip, port: event.server.port } } });
    if (!server) return { post: true };
    return { post: this.matcher.claim(server.id, "push"), ...(server.alarmRoleId && { mentionRoleId: server.alarmRoleId }) };
  }

  /** Resolves when every post started so far is queued. */
  async idle(): Promise<void> {
    await this.#work.idle();
  }

  async #alarm({ device }: Drawn): Promise<void> {
    if (!this.matcher.claim(device.pairedServerId, "broadcast")) return;
    const role = device.mentionRoleId ?? device.pairedServer.alarmRoleId;
    const at = device.lastTriggeredAt!;
    await this.notifier.notify({
      userId: device.pairedServer.userId,
      dedupeKey: `alarm:${device.id}:${at.getTime()}`,
      event: { kind: "alarm", serverName: serverLabel(device.pairedServer), alarmName: device.name, message: "Triggered in game.", at: at.toISOString(), ...(role && { mentionRoleId: role }) },
    });
  }

  async #decay({ device }: Drawn, lastExpiry: number): Promise<void> {
    const role = device.mentionRoleId ?? device.pairedServer.alarmRoleId;
    await this.notifier.notify({
      userId: device.pairedServer.userId,
      dedupeKey: `decay:${device.id}:${lastExpiry}`,
      event: {
        kind: "raid",
        serverName: serverLabel(device.pairedServer),
        title: `Tool cupboard decaying: ${device.name}`,
        detail: `${device.name} has no upkeep left, so the base is decaying. Refill the tool cupboard.`,
        at: new Date().toISOString(),
        ...(role && { mentionRoleId: role }),
      },
    });
  }
}
