// The game answered not_found for a device: it was destroyed, or the server wiped. Recorded once and told to
// the owner once, in one transaction; the device is not asked about again until it is paired again.
import type { PrismaClient, SmartDevice } from "../generated/prisma/client.ts";
import type { Notifier } from "../notify/notifier.ts";
import { serverLabel } from "../pairing/server-card.ts";
import { KIND_LABELS } from "./device-card.ts";

export async function markUnreachable(prisma: PrismaClient, notifier: Notifier, device: Pick<SmartDevice, "id">): Promise<void> {
  const at = new Date();
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.smartDevice.updateMany({ where: { id: device.id, unreachableSince: null }, data: { unreachableSince: at } });
    if (count === 0) return;
    const row = await tx.smartDevice.findUniqueOrThrow({ where: { id: device.id }, include: { pairedServer: true } });
    const server = serverLabel(row.pairedServer);
    await notifier.notify(
      {
        userId: row.pairedServer.userId,
        dedupeKey: `device-unreachable:${row.id}:${at.getTime()}`,
        event: {
          kind: "server-status",
          serverName: server,
          text:
            `${row.name} (${KIND_LABELS[row.kind].toLowerCase()}) was not found on ${server}: it was destroyed, or the server was wiped. ` +
            "The bot stops asking for it; pair it again in game to bring it back, or remove it with /device remove.",
          at: at.toISOString(),
        },
      },
      tx,
    );
  });
}
