// The MCS protocol as @liamcottle/push-receiver 0.0.4 ships it: its mcs.proto and checkin.proto, loaded with
// its own protobufjs (whose Long keeps 64-bit android ids exact), the tags of Chromium's MCSProtoTag enum
// (push-receiver's constants.js) and the framing after login: tag byte, varint length, message bytes.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** mcs.proto tags used here. */
export const MCS_TAG = { heartbeatPing: 0, heartbeatAck: 1, loginRequest: 2, loginResponse: 3, close: 4, iqStanza: 7, dataMessage: 8 } as const;
/** The version byte that opens each direction of a stream. */
export const MCS_VERSION = 41;

/** The parts of protobufjs used here. */
export interface ProtoType {
  fromObject(object: Record<string, unknown>): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  encodeDelimited(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options?: Record<string, unknown>): Record<string, unknown>;
}
interface ProtoRoot {
  lookupType(name: string): ProtoType;
}

export const RECEIVER = "@liamcottle/push-receiver/src";
const receiverRequire = createRequire(require.resolve(`${RECEIVER}/client.js`));
const protobuf = receiverRequire("protobufjs") as { loadSync(path: string): ProtoRoot };
export const mcsRoot = protobuf.loadSync(require.resolve(`${RECEIVER}/mcs.proto`));
export const checkinRoot = protobuf.loadSync(require.resolve(`${RECEIVER}/gcm/checkin.proto`));

/** One frame after the version byte: `tag`, then the `mcs_proto.<type>` message built from `body`, length-delimited. */
export function mcsFrame(tag: number, type: string, body: Record<string, unknown>): Buffer {
  const Type = mcsRoot.lookupType(`mcs_proto.${type}`);
  return Buffer.concat([Buffer.from([tag]), Type.encodeDelimited(Type.fromObject(body)).finish()]);
}
