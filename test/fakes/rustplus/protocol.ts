// The Rust+ wire format, from the rustplus.proto that ships with @liamcottle/rustplus.js (loaded, not copied).
//
// How the fake encodes, like the real server: since the game's March 2025 update, servers encode proto3-style, so
// nothing is required and a field at its default value (0, false, "", an empty list; enum 0) is left off the wire, at
// every depth and in every message type. Public evidence: rustplus.js #76 (`queuedPlayers` absent with an empty
// queue) and PR #77 (every `required` dropped, "like FP switched to proto3"), rustplusplus #408 (monument x/y at 0),
// #409 (`currencyIsBlueprint` false), #410 (`queuedPlayers`), rustplus.js PR #82 (queuedPlayers, map note `type` 0).
// A nested message that is set is still written, even empty (`success: {}`, `payload: {}`), as proto3 gives message
// fields presence; the client tells answers apart by which one is there. `encoding: "write-defaults"` is the older
// proto2 way (every required field written, defaults included), for tests that need it.
//
// The fake's own mistakes are caught by checkShape instead of a required-field check (which real servers do not
// honour any more): a message may hold only fields the schema has, each of its type. Which fields the world must
// fill is checked by the compiler (world.ts types).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import protobuf from "protobufjs";

const require = createRequire(import.meta.url);
export const PROTO_PATH = join(dirname(require.resolve("@liamcottle/rustplus.js")), "rustplus.proto");
/** The library's schema as it is: proto2, ~125 fields required. */
const proto2 = protobuf.loadSync(PROTO_PATH);
/** What servers encode with now: the same fields, none required (the fake's own rewrite, independent of the bot's). */
const proto3 = protobuf.parse(readFileSync(PROTO_PATH, "utf8").replace(/^(\s*)required(?=\s)/gm, "$1optional")).root;
proto3.resolveAll();
const AppRequestType = proto3.lookupType("rustplus.AppRequest");
const AppMessageType = proto3.lookupType("rustplus.AppMessage");
const LegacyAppMessageType = proto2.lookupType("rustplus.AppMessage");

/** "omit-defaults": as real servers since March 2025 (the default); "write-defaults": every required field written. */
export type Encoding = "omit-defaults" | "write-defaults";

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

/** Decodes a request as the server would: an absent field reads as its default (a client may encode proto3-style too). */
export function decodeRequest(data: Uint8Array): Decoded {
  try {
    const request = AppRequestType.toObject(AppRequestType.decode(data), { longs: String, enums: Number, defaults: true }) as AppRequest;
    return { ok: true, request, kind: REQUEST_KINDS.find((kind) => request[kind] !== undefined && request[kind] !== null) ?? "none" };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** An AppRequest as a client would send it (for tests that talk to the fake without rustplus.js). */
export function encodeRequest(request: Record<string, unknown>): Uint8Array {
  return AppRequestType.encode(AppRequestType.fromObject(request)).finish();
}

const LONGS = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const INTS = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32"]);

/** Throws naming the first field of `value` that the schema does not have, or whose value is not of its type, at any depth. */
export function checkShape(type: protobuf.Type, value: Record<string, unknown>, path = type.name): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${path}: not a message object`);
  for (const [name, v] of Object.entries(value)) {
    const field = type.fields[name];
    if (!field) throw new Error(`${path}.${name}: no such field in ${type.fullName}`);
    if (v === undefined || v === null) continue;
    if (field.repeated && !Array.isArray(v)) throw new Error(`${path}.${name}: not a list`);
    const items = (field.repeated ? v : [v]) as unknown[];
    items.forEach((item, i) => checkValue(field.resolve(), item, `${path}.${name}${field.repeated ? `[${i}]` : ""}`));
  }
}

function checkValue(field: protobuf.Field, v: unknown, path: string): void {
  const fail = (what: string) => { throw new Error(`${path}: ${what}, not ${JSON.stringify(v) ?? typeof v}`); };
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) return checkShape(type, v as Record<string, unknown>, path);
  if (type instanceof protobuf.Enum) {
    if (!(typeof v === "number" && Number.isInteger(v)) && !(typeof v === "string" && v in type.values)) fail(`a ${type.name} value`);
    return;
  }
  if (LONGS.has(field.type)) {
    if (!(typeof v === "number" && Number.isInteger(v)) && !(typeof v === "string" && /^-?\d{1,20}$/.test(v))) fail("an integer or a decimal string");
  } else if (INTS.has(field.type)) {
    if (!(typeof v === "number" && Number.isInteger(v))) fail("an integer");
  } else if (field.type === "float" || field.type === "double") {
    if (typeof v !== "number") fail("a number"); // NaN and ±Infinity included: they are floats on the wire too
  } else if (field.type === "bool") {
    if (typeof v !== "boolean") fail("a boolean");
  } else if (field.type === "string") {
    if (typeof v !== "string") fail("a string");
  } else if (field.type === "bytes") {
    if (!(v instanceof Uint8Array)) fail("bytes");
  }
}

/** A copy of `value` without the fields a proto3 encoder leaves off the wire: every default, at every depth. */
export function omitDefaults(type: protobuf.Type, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    const field = type.fields[name]?.resolve();
    if (!field || v === undefined || v === null) continue;
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
    if (field.repeated) {
      const list = v as unknown[];
      // Elements of a list are all written, defaults included; only an empty list is absent.
      if (list.length) out[name] = nested ? list.map((item) => omitDefaults(nested, item as Record<string, unknown>)) : list;
    } else if (nested) out[name] = omitDefaults(nested, v as Record<string, unknown>);
    else if (!isDefault(field, v)) out[name] = v;
  }
  return out;
}

function isDefault(field: protobuf.Field, v: unknown): boolean {
  if (field.resolvedType instanceof protobuf.Enum) return v === 0 || (typeof v === "string" && field.resolvedType.values[v] === 0);
  if (LONGS.has(field.type)) return String(v) === "0";
  if (v instanceof Uint8Array) return v.length === 0;
  return v === 0 || v === false || v === "";
}

export interface EncodeOptions {
  /** Default "omit-defaults", as real servers. */ encoding?: Encoding;
  /** Check the message's shape first (checkShape); default true. */ check?: boolean;
}

/** `{ response: {...} }` or `{ broadcast: {...} }` as bytes; with `check`, throws on a field the schema lacks or of the wrong type. */
export function encodeMessage(message: { response?: object; broadcast?: object }, options: EncodeOptions = {}): Uint8Array {
  const plain = message as Record<string, unknown>;
  if (options.check ?? true) checkShape(AppMessageType, plain);
  if (options.encoding === "write-defaults") return LegacyAppMessageType.encode(LegacyAppMessageType.fromObject(plain)).finish();
  return AppMessageType.encode(AppMessageType.fromObject(omitDefaults(AppMessageType, plain))).finish();
}

/** Decodes an AppMessage to a plain object holding only what is on the wire (uint64 as strings), for tests reading raw frames. */
export function decodeMessage(data: Uint8Array): Record<string, unknown> {
  return AppMessageType.toObject(AppMessageType.decode(data), { longs: String, enums: Number });
}
