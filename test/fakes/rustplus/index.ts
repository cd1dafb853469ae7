// A fake Rust game server's Rust+ companion API for tests and benchmarks; the real rustplus.js client connects to it.
export { FakeRustServer, UNSUPPORTED, type ConnectionInfo, type FakeRustServerOptions, type Limits, type OverLimit, type PlayerInit } from "./server.ts";
export { BucketList, COSTS, DEFAULT_COST, IP_BUCKET, ManualClock, PLAYER_BUCKET, type BucketRule } from "./buckets.ts";
export { PROTO_PATH, REQUEST_KINDS, checkShape, decodeMessage, decodeRequest, encodeMessage, encodeRequest, omitDefaults, type EncodeOptions, type Encoding, type RequestKind } from "./protocol.ts";
export { makePng, type Rgb } from "./png.ts";
export {
  DEFAULT_REPORTED_MARKERS, EntityType, MarkerType, OFFICIAL_2026_REPORTED_MARKERS, World, type ChatMessage, type Entity, type GameMap, type GameTime, type Item, type MapNote, type Marker,
  type Monument, type SellOrder, type ServerInfo, type SteamId, type StorageMonitor, type Team, type TeamMember, type Vector4, type WorldInit,
} from "./world.ts";
export { SocketRecorder, activeUntil, pairingOf, type SocketRecord } from "./socket-recorder.ts";
