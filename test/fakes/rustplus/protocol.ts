// The Rust+ wire format, from the rustplus.proto that ships with @liamcottle/rustplus.js (loaded, not copied).
// Requests are decoded to plain objects with uint64 as decimal strings; messages are built from plain objects
// (uint64 may be a decimal string) and, by default, checked for required fields before encoding: protobufjs would
// otherwise write a default for a missing required scalar, hiding the fake's own mistake.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import protobuf from "protobufjs";

const require = createRequire(import.meta.url);
export const PROTO_PATH = join(dirname(require.resolve("@liamcottle/rustplus.js")), "rustplus.proto");
const root = protobuf.loadSync(PROTO_PATH);
const AppRequestType = root.lookupType("rustplus.AppRequest");
const AppMessageType = root.lookupType("rustplus.AppMessage");

/** Every request field of AppRequest that selects an operation, in proto order. */
export const REQUEST_KINDS = [
  "getInfo", "getTime", "getMap", "getTeamInfo", "getTeamChat", "sendTeamMessage", "getEntityInfo", "setEntityValue",
  "checkSubscription", "setSubscription", "getMapMarkers", "promoteToLeader", "getClanInfo", "setClanMotd", "getClanChat",
  "sendClanMessage", "getNexusAuth", "cameraSubscribe", "cameraUnsubscribe", "cameraInput",
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export interface AppRequest {
  seq: number; /** Decimal string. */ playerId: string; playerToken: number; entityId?: number;
  sendTeamMessage?: { message: string }; setEntityValue?: { value: boolean }; setSubscription?: { value: boolean };
  promoteToLeader?: { steamId: string }; [kind: string]: unknown;
}

export type Decoded = { ok: true; request: AppRequest; kind: RequestKind | "none" } | { ok: false; error: Error };

export function decodeRequest(data: Uint8Array): Decoded {
  try {
    const request = AppRequestType.toObject(AppRequestType.decode(data), { longs: String, enums: Number }) as AppRequest;
    return { ok: true, request, kind: REQUEST_KINDS.find((kind) => request[kind] !== undefined && request[kind] !== null) ?? "none" };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** An AppRequest as a client would send it (for tests that talk to the fake without rustplus.js). */
export function encodeRequest(request: Record<string, unknown>): Uint8Array {
  return AppRequestType.encode(AppRequestType.fromObject(request)).finish();
}

/** Throws naming the first required field that is missing (null or undefined), at any depth. */
export function checkRequired(type: protobuf.Type, value: Record<string, unknown>, path = type.name): void {
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === undefined || v === null) {
      if (field.required) throw new Error(`${path}.${field.name}: missing required field`);
      continue;
    }
    field.resolve();
    if (!(field.resolvedType instanceof protobuf.Type)) continue;
    const children = (field.repeated ? v : [v]) as Record<string, unknown>[];
    children.forEach((child, i) => checkRequired(field.resolvedType as protobuf.Type, child, `${path}.${field.name}${field.repeated ? `[${i}]` : ""}`));
  }
}

/** `{ response: {...} }` or `{ broadcast: {...} }`; with `check`, throws if a required field is missing. */
export function encodeMessage(message: { response?: object; broadcast?: object }, check = true): Uint8Array {
  if (check) checkRequired(AppMessageType, message);
  return AppMessageType.encode(AppMessageType.fromObject(message)).finish();
}

/** Decodes an AppMessage to a plain object (uint64 as strings), for tests reading raw frames. */
export function decodeMessage(data: Uint8Array): Record<string, unknown> {
  return AppMessageType.toObject(AppMessageType.decode(data), { longs: String, enums: Number });
}
