// What the Rust+ companion app registers, and the FCM pushes the game sends to it, in their real shapes
// (research/rustplus.md "FCM"; the same shapes as the bot's tests: test/helpers/fcm-config.ts, fleet-seed.ts,
// test/bot/devices.test.ts). Every appData value is a string; `body` is a JSON string.
import { randomBytes, randomUUID } from "node:crypto";
import type { PushPayload } from "../../test/fakes/mcs/index.ts";

/** The companion app's registration with Google's push service (what `fcm-register` gets). */
export interface CompanionRegistration {
  androidId: string;
  securityToken: string;
  /** rustplus.config.json as `fcm-register` writes it: what the player pastes into /credentials add. */
  config: string;
}

/** How long a Rust+ auth token lasts (research/rustplus.md: about two weeks). */
const AUTH_TOKEN_DAYS = 14;

/**
 * A 19-digit id that fits a signed 64-bit integer, as Google's check-in gives: the check-in request carries the
 * android id and security token as 64-bit integers, so a 19-digit number above 2^63 - 1 would not survive it.
 */
function checkinId(): string {
  const low = 10n ** 18n;
  return String(low + (randomBytes(8).readBigUInt64BE() % (2n ** 63n - low)));
}
const base64url = (bytes: number): string => randomBytes(bytes).toString("base64url");

/**
 * A new registration for `steamId`: a 19-digit android id and security token (as Google's check-in gives),
 * and the config file with a Rust+ auth token whose payload names the Steam id and the token's dates.
 */
export function registerCompanion(steamId: string, nowSeconds = Math.floor(Date.now() / 1000)): CompanionRegistration {
  const androidId = checkinId();
  const securityToken = checkinId();
  const payload = Buffer.from(JSON.stringify({ steamId, version: 0, iss: nowSeconds, exp: nowSeconds + AUTH_TOKEN_DAYS * 86_400 })).toString("base64url");
  const config = {
    fcm_credentials: {
      keys: { privateKey: base64url(32), publicKey: base64url(65), authSecret: base64url(16) },
      fcm: { token: `${base64url(16)}:APA91b${base64url(96)}`, pushSet: base64url(16) },
      gcm: { token: `${base64url(16)}:APA91b${base64url(96)}`, androidId, securityToken, appId: `wp:receiver.push.com#${randomUUID()}` },
    },
    expo_push_token: `ExponentPushToken[${base64url(16)}]`,
    rustplus_auth_token: `${payload}.${base64url(32)}`,
  };
  return { androidId, securityToken, config: JSON.stringify(config) };
}

/** The server as every server-related push's body names it. */
export interface PushServer {
  ip: string;
  port: number;
  name: string;
  /** The server's Rust+ id (a UUID). */
  id: string;
  url: string;
  desc: string;
}

let sent = 0;
/** Google's persistent ids look like "0:1700000000000000%7031b2e6f9fd7ecd"; unique per message. */
const persistentId = (): string => `0:${Date.now()}${String(++sent).padStart(4, "0")}%${randomBytes(8).toString("hex")}`;

function push(channelId: string, title: string, message: string, body: Record<string, string>): PushPayload {
  return {
    persistentId: persistentId(),
    appData: [
      { key: "channelId", value: channelId },
      { key: "title", value: title },
      { key: "message", value: message },
      { key: "body", value: JSON.stringify(body) },
    ],
  };
}

const serverFields = (server: PushServer, playerId: string, playerToken: string) => ({
  img: "", port: String(server.port), ip: server.ip, name: server.name, id: server.id, url: server.url, desc: server.desc, playerId, playerToken,
});

/** "Pair with server" in the game's menu. */
export function serverPairingPush(server: PushServer, playerId: string, playerToken: number): PushPayload {
  return push("pairing", server.name, "Tap to pair with this server.", { ...serverFields(server, playerId, String(playerToken)), type: "server" });
}

/** Hold E on a smart device, Pair: the entity's pairing (entityType 1 switch, 2 alarm, 3 storage monitor). */
export function entityPairingPush(server: PushServer, playerId: string, playerToken: number, entity: { id: number; type: 1 | 2 | 3; name: string }): PushPayload {
  return push("pairing", entity.name, "Tap to pair with this server.", {
    ...serverFields(server, playerId, String(playerToken)), type: "entity", entityId: String(entity.id), entityType: String(entity.type), entityName: entity.name,
  });
}

/** A paired smart alarm went off: its owner's title and message, the server in the body (as fleet-seed.ts fireAlarm). */
export function alarmPush(server: PushServer, playerId: string, title: string, message: string): PushPayload {
  return push("alarm", title, message, { ...serverFields(server, playerId, "0"), type: "alarm" });
}

/**
 * The player died (channel "player", type "death"): the game's sentence is the title; `targetId` is the killer's
 * Steam id, or "" when no player killed (research/rustplus.md "Death").
 */
export function deathPush(server: PushServer, playerId: string, title: string, killerSteamId: string): PushPayload {
  return push("player", title, "", { ...serverFields(server, playerId, "0"), type: "death", targetId: killerSteamId });
}
