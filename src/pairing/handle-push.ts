// What each kind of push does. Runs inside the transaction that records the push, so the effect and its
// notification commit together, once.
import type { Config } from "../config.ts";
import type { SecretBox } from "../db/crypto.ts";
import type { AlarmWatcher } from "../alarms/alarm-watcher.ts";
import { pairDevice } from "../devices/pair-device.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { PushHandler } from "../rustplus/push-listener.ts";
import type { PushEvent } from "../rustplus/push-events.ts";
import { serverButtons, serverLabel } from "./server-card.ts";

/** After a device pairing commits: its card is drawn (and the device read, if its server is connected). */
export interface DevicePairing {
  config: Pick<Config, "TIER_LIMITS">;
  paired(deviceId: string): void;
}

/**
 * `onPaired` runs after the pairing is committed: a live server reconnects with its new token. Without
 * `devices`, entity pairings are ignored.
 */
export function pushHandler(
  secrets: SecretBox,
  notifier: Notifier,
  onPaired: (serverId: string) => void = () => undefined,
  devices?: DevicePairing,
  alarms?: Pick<AlarmWatcher, "fromPush">,
): PushHandler {
  return async (tx, userId, event, persistentId) => {
    const at = new Date().toISOString();
    const notify = (dedupeKey: string, e: Parameters<Notifier["notify"]>[0]["event"]) => notifier.notify({ userId, dedupeKey, event: e }, tx);
    switch (event.kind) {
      case "server-pairing": {
        const server = await pairServer(tx, secrets, userId, event);
        await notify(`push:${userId}:${persistentId}`, {
          kind: "server-status",
          serverName: serverLabel(server),
          text: server.live
            ? `Paired again with ${server.serverName || "this server"} (${server.ip}:${server.port}): reconnecting with the new pairing.`
            : `Paired with ${server.serverName || "this server"} (${server.ip}:${server.port}). Connect to keep it live.`,
          at,
          buttons: serverButtons(server),
        });
        return () => onPaired(server.id);
      }
      case "alarm": {
        // The live socket may have posted this trigger already (deduplicated per server).
        const decision = alarms ? await alarms.fromPush(tx, userId, event) : { post: true };
        if (!decision.post) return;
        await notify(`push:${userId}:${persistentId}`, {
          kind: "alarm",
          serverName: name(event.server),
          alarmName: event.title || "Smart alarm",
          ...(event.message && { message: event.message }),
          at,
          ...(decision.mentionRoleId && { mentionRoleId: decision.mentionRoleId }),
        });
        return;
      }
      case "raid": {
        const role = event.server ? await alarmRole(tx, userId, event.server) : null;
        // Raid plugins say where: "chair destroyed at N18".
        const grid = /\bat ([A-Z]{1,2}\d{1,2})\b/.exec(event.message)?.[1];
        await notify(`push:${userId}:${persistentId}`, {
          kind: "raid",
          serverName: event.server ? name(event.server) : "Your server",
          title: event.title,
          detail: event.message || event.title,
          at,
          ...(grid && { grid }),
          ...(role && { mentionRoleId: role }),
        });
        return;
      }
      case "death":
        // A live server's team state reports deaths and logins itself (with the grid): post pushes only for others.
        if (await watchedLive(tx, userId, event.server)) return;
        await notify(`push:${userId}:${persistentId}`, { kind: "death", serverName: name(event.server), player: event.name || event.targetId, at });
        return;
      case "team-login":
        if (await watchedLive(tx, userId, event.server)) return;
        await notify(`push:${userId}:${persistentId}`, { kind: "login", serverName: name(event.server), player: event.targetName || event.targetId, online: true, at });
        return;
      case "entity-pairing": {
        if (!devices) return;
        const paired = await pairDevice(tx, { config: devices.config, notifier }, userId, event, `push:${userId}:${persistentId}`);
        if ("deviceId" in paired) return () => devices.paired(paired.deviceId);
        return;
      }
      case "news":
        // News is not posted.
        return;
    }
  };
}

/** Whether this push's server is one of the user's live paired servers (whose team state the bot follows). */
async function watchedLive(tx: Prisma.TransactionClient, userId: string, server: { ip: string; port: number }): Promise<boolean> {
  return (await tx.pairedServer.count({ where: { userId, ip: server.ip, port: server.port, live: true, needsRepairSince: null } })) > 0;
}

async function alarmRole(tx: Prisma.TransactionClient, userId: string, server: { ip: string; port: number }): Promise<string | null> {
  const row = await tx.pairedServer.findUnique({ where: { userId_ip_port: { userId, ip: server.ip, port: server.port } }, select: { alarmRoleId: true } });
  return row?.alarmRoleId ?? null;
}

const name = (server: { name: string; ip: string; port: number }) => server.name || `${server.ip}:${server.port}`;

/** Creates or updates the PairedServer for this (user, ip, port), the player token encrypted. */
async function pairServer(tx: Prisma.TransactionClient, secrets: SecretBox, userId: string, event: Extract<PushEvent, { kind: "server-pairing" }>) {
  const sealed = secrets.seal("PairedServer.playerToken", String(event.playerToken));
  const data = {
    serverName: event.server.name, // fitted when the push was parsed (SERVER_NAME_MAX)
    playerSteamId: event.playerId,
    playerToken: sealed.ciphertext,
    playerTokenKeyVersion: sealed.keyVersion,
    needsRepairSince: null,
    pairedAt: new Date(),
  };
  return tx.pairedServer.upsert({
    where: { userId_ip_port: { userId, ip: event.server.ip, port: event.server.port } },
    create: { userId, ip: event.server.ip, port: event.server.port, ...data },
    update: data,
  });
}
