// What each kind of push does. Runs inside the transaction that records the push, so the effect and its
// notification commit together, once.
import type { LimitsConfig } from "../billing/entitlements.ts";
import type { SecretBox } from "../db/crypto.ts";
import type { AlarmWatcher } from "../alarms/alarm-watcher.ts";
import { pairDevice } from "../devices/pair-device.ts";
import { settleDeath, type DeathMatcher } from "../events/death-matcher.ts";
import { headOf } from "../bot/fit-text.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { HOLD_MS } from "../notify/held.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { PushHandler } from "../rustplus/push-listener.ts";
import type { PushEvent } from "../rustplus/push-events.ts";
import { serverButtons, serverLabel } from "./server-card.ts";

/** After a device pairing commits: its card is drawn (and the device read, if its server is connected). */
export interface DevicePairing {
  config: LimitsConfig;
  paired(deviceId: string): void;
}

/**
 * `onPaired` runs after the pairing is committed: a live server reconnects with its new token. Without
 * `devices`, entity pairings are ignored. `deaths` is shared with the team-state tracker (ServerEvents): a death
 * on a live server is posted once with both sources' details; without it such deaths are left to the tracker.
 */
export function pushHandler(
  secrets: SecretBox,
  notifier: Notifier,
  onPaired: (serverId: string) => void = () => undefined,
  devices?: DevicePairing,
  alarms?: Pick<AlarmWatcher, "fromPush">,
  deaths?: DeathMatcher,
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
          pairing: true,
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
      case "death": {
        // A live server's team state reports this death too (with the place): one post carries both (death-matcher.ts).
        const live = await liveServer(tx, userId, event.server);
        if (live && !deaths) return;
        // The dead player is whoever these credentials belong to: the push names the server, not the player.
        const owner = await credentialOwner(tx, userId);
        const dedupeKey = `push:${userId}:${persistentId}`;
        // Matched by the dead player's Steam id: held until the match is made, once this push is committed.
        const match = live && deaths && owner.steamId ? { deaths, serverId: live.id, steamId: owner.steamId } : undefined;
        const outcome = await notifier.notify(
          {
            userId,
            dedupeKey,
            event: { kind: "death", serverName: name(event.server), player: owner.name, text: event.text, ...(event.killerSteamId && { killerSteamId: event.killerSteamId }), at },
            ...(match && { holdUntil: new Date(Date.now() + HOLD_MS) }),
          },
          tx,
        );
        if (!match || outcome !== "queued") return;
        return () => settleDeath(match.deaths, notifier, { serverId: match.serverId, steamId: match.steamId, source: "push", dedupeKey });
      }
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

/** This push's server if it is one of the user's live paired servers (whose team state the bot follows). */
async function liveServer(tx: Prisma.TransactionClient, userId: string, server: { ip: string; port: number }): Promise<{ id: string } | null> {
  return tx.pairedServer.findFirst({ where: { userId, ip: server.ip, port: server.port, live: true, needsRepairSince: null }, select: { id: true } });
}

/** Whether this push's server is one of the user's live paired servers (whose team state the bot follows). */
async function watchedLive(tx: Prisma.TransactionClient, userId: string, server: { ip: string; port: number }): Promise<boolean> {
  return (await tx.pairedServer.count({ where: { userId, ip: server.ip, port: server.port, live: true, needsRepairSince: null } })) > 0;
}

/**
 * The credentials' owner as the bot knows them: their name, or their Steam id when the credentials are another
 * account's; and their Steam id (the team member who died), when known.
 */
async function credentialOwner(tx: Prisma.TransactionClient, userId: string): Promise<{ name: string; steamId?: string }> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { displayName: true, steamId: true, fcmCredential: { select: { steamId: true } } } });
  const steamId = user?.fcmCredential?.steamId ?? user?.steamId;
  const ids = steamId ? { steamId } : {};
  if (user && steamId === user.steamId && user.displayName.trim()) return { name: headOf(user.displayName.trim(), 64), ...ids };
  return { name: steamId ?? "You", ...ids };
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
