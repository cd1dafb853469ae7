// An entity-pairing push: the device is created (within the tier's smart-device limit) or, paired again,
// made reachable again. Runs inside the transaction that records the push, so the device and any notice
// commit together, once.
import { allowance, OverLimitError, type LimitsConfig } from "../billing/entitlements.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { PushEvent } from "../rustplus/push-events.ts";
import { KIND_LABELS } from "./device-card.ts";
import { fitText } from "../bot/fit-text.ts";

type EntityPairing = Extract<PushEvent, { kind: "entity-pairing" }>;

export type PairOutcome = { outcome: "created" | "repaired"; deviceId: string } | { outcome: "no-server" | "over-limit" };

export async function pairDevice(
  tx: Prisma.TransactionClient,
  deps: { config: LimitsConfig; notifier: Notifier },
  userId: string,
  event: EntityPairing,
  dedupeKey: string,
): Promise<PairOutcome> {
  const name = fitText(event.entityName.trim() || KIND_LABELS[event.entityKind], 100);
  const serverName = event.server.name || `${event.server.ip}:${event.server.port}`;
  const notice = (text: string) =>
    deps.notifier.notify({ userId, dedupeKey, event: { kind: "server-status", serverName, text, at: new Date().toISOString() } }, tx);

  const server = await tx.pairedServer.findUnique({ where: { userId_ip_port: { userId, ip: event.server.ip, port: event.server.port } } });
  if (!server) {
    await notice(`You paired ${name} on ${serverName}, but that server is not paired with the bot. Pair the server first (menu → Rust+ → Pair with server), then pair the device again.`);
    return { outcome: "no-server" };
  }
  const entityId = BigInt(event.entityId);
  const existing = await tx.smartDevice.findUnique({ where: { pairedServerId_entityId: { pairedServerId: server.id, entityId } } });
  if (existing) {
    // Paired again: reachable again (asked once more); a name given with /device rename is kept.
    await tx.smartDevice.update({ where: { id: existing.id }, data: { kind: event.entityKind, unreachableSince: null } });
    return { outcome: "repaired", deviceId: existing.id };
  }
  // The same lock as withinLimit(), taken in this transaction: concurrent pairings queue instead of both passing.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`limit:${userId}:smartDevices:`}))`;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
  const allowed = await allowance(tx, deps.config, user, "smartDevices");
  if (allowed.remaining <= 0) {
    // Notices are posted as plain text (markdown escaped), so no code spans.
    const why = new OverLimitError("smartDevices", allowed).message.replaceAll("`", "");
    await notice(`${name} was not added: ${why} Remove one with /device remove and pair it again.`);
    return { outcome: "over-limit" };
  }
  const device = await tx.smartDevice.create({ data: { pairedServerId: server.id, kind: event.entityKind, entityId, name } });
  return { outcome: "created", deviceId: device.id };
}
