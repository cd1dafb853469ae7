// The scriptable game state behind the fake, in the shapes of rustplus.proto (Steam ids as decimal strings).
import { fakeMapImage } from "./map-image.ts";

export type SteamId = string;

export interface ServerInfo {
  name: string; headerImage: string; url: string; map: string; mapSize: number; /** Unix seconds. */ wipeTime: number;
  players: number; maxPlayers: number; queuedPlayers: number; seed: number; salt: number; logoImage: string;
  nexus?: string; nexusId?: number; nexusZone?: string;
}
export interface GameTime { dayLengthMinutes: number; timeScale: number; sunrise: number; sunset: number; /** Hours, 0..24. */ time: number }
export interface TeamMember {
  steamId: SteamId; name: string; x: number; y: number; isOnline: boolean; /** Unix seconds. */ spawnTime: number;
  isAlive: boolean; /** Unix seconds, 0 if never. */ deathTime: number;
}
/** type 0: the player's last death, 1: a marker placed on the map. */
export interface MapNote { type: number; x: number; y: number }
export interface Team { leaderSteamId: SteamId; members: TeamMember[]; mapNotes?: MapNote[]; leaderMapNotes?: MapNote[] }
export interface Monument { token: string; x: number; y: number }
export interface GameMap { width: number; height: number; jpgImage: Uint8Array; oceanMargin: number; monuments: Monument[]; background?: string }
export interface SellOrder {
  itemId: number; quantity: number; currencyId: number; costPerItem: number; amountInStock: number;
  itemIsBlueprint: boolean; currencyIsBlueprint: boolean; itemCondition?: number; itemConditionMax?: number;
}
export interface Vector4 { x: number; y: number; z: number; w: number }
export const MarkerType = {
  Player: 1, Explosion: 2, VendingMachine: 3, CH47: 4, CargoShip: 5, Crate: 6, GenericRadius: 7, PatrolHelicopter: 8,
  /** Not in rustplus.js 2.5.0's enum; protobufjs passes the number through on both ends. */ TravelingVendor: 9,
} as const;
/**
 * Marker types a server sends in getMapMarkers; the world may hold others, which it leaves out. Rust+ stopped sending
 * locked crates and explosions in 2023 (rustplusplus #194, rustplus.js #64): no server sends them, so the default
 * leaves them out. Everything else is sent by default: a marker a test puts on the map is one it means the bot to see.
 */
export const DEFAULT_REPORTED_MARKERS: readonly number[] = Object.values(MarkerType).filter((t) => t !== MarkerType.Explosion && t !== MarkerType.Crate);
/**
 * Official servers since the game's August 2026 update, per public reports (Rust+ Desktop 8.0 notes in
 * Pronwan/rustplus-desktop#162, rustplusplus #541): no dynamic events (cargo ship, patrol helicopter, CH47, travelling
 * vendor) and no vending machines; players are still sent.
 */
export const OFFICIAL_2026_REPORTED_MARKERS: readonly number[] = [MarkerType.Player, MarkerType.GenericRadius];
export interface Marker {
  id: number; type: number; x: number; y: number; steamId?: SteamId; rotation?: number; radius?: number; color1?: Vector4;
  color2?: Vector4; alpha?: number; name?: string; outOfStock?: boolean; sellOrders?: SellOrder[];
}
export interface Item { itemId: number; quantity: number; itemIsBlueprint: boolean }
export const EntityType = { Switch: 1, Alarm: 2, StorageMonitor: 3 } as const;
export type Entity =
  | { type: typeof EntityType.Switch | typeof EntityType.Alarm; value: boolean }
  | { type: typeof EntityType.StorageMonitor; items: Item[]; /** 29 tool cupboard, 30 vending machine, 48 large box. */ capacity: number;
    hasProtection: boolean; /** Unix seconds; 0 = decaying. */ protectionExpiry: number };
export type StorageMonitor = Extract<Entity, { type: 3 }>;
/** Lines of team chat a server keeps (CompanionServer.ChatLog.MaxBacklog). */
export const CHAT_BACKLOG = 20;
export interface ChatMessage { steamId: SteamId; name: string; message: string; color: string; /** Unix seconds. */ time: number }

export interface WorldInit {
  info?: Partial<ServerInfo>; time?: Partial<GameTime>; /** null: nobody is in a team. */ team?: Team | null;
  map?: Partial<GameMap>; markers?: Marker[]; entities?: Record<number, Entity>; chat?: ChatMessage[];
  /** Which marker types getMapMarkers sends (default DEFAULT_REPORTED_MARKERS); the others stay on the map unseen. */
  reportedMarkers?: readonly number[];
}

export class World {
  info: ServerInfo;
  time: GameTime;
  team: Team | null;
  map: GameMap;
  markers: Marker[];
  /** Change it at any time: the server "updates" and sends more or fewer kinds from the next getMapMarkers. */
  reportedMarkers: ReadonlySet<number>;
  readonly entities = new Map<number, Entity>();
  /** Every team chat line said, for tests to read (what the game keeps and serves is `chatLog`). */
  chat: ChatMessage[];
  /**
   * The team's chat history getTeamChat answers: the last CHAT_BACKLOG lines, oldest first, in memory only (empty
   * again after a server restart). As CompanionServer.ChatLog (MaxBacklog = 20) and CompanionServer/Handlers/TeamChat.cs
   * in the decompiled server (iraizo/rustpseudo, MillionthOdin16/RustChangelog).
   */
  chatLog: ChatMessage[];

  constructor(nowSeconds: number, init: WorldInit = {}) {
    this.info = {
      name: "Fake Rust Server", headerImage: "", url: "", map: "Procedure Map", mapSize: 3000, wipeTime: nowSeconds - 86_400,
      players: 42, maxPlayers: 200, queuedPlayers: 0, seed: 1337, salt: 4242, logoImage: "", ...init.info,
    };
    this.time = { dayLengthMinutes: 60, timeScale: 1, sunrise: 7, sunset: 20, time: 12, ...init.time };
    this.team = init.team ?? null;
    this.map = {
      ...fakeMapImage(this.info.mapSize),
      monuments: [{ token: "outpost", x: 1500, y: 1500 }, { token: "launchsite", x: 700, y: 2300 }, { token: "large_oil_rig", x: 2900, y: 200 }],
      ...init.map,
    };
    this.markers = init.markers ?? [];
    this.reportedMarkers = new Set(init.reportedMarkers ?? DEFAULT_REPORTED_MARKERS);
    for (const [id, entity] of Object.entries(init.entities ?? {})) this.entities.set(Number(id), entity);
    this.chat = init.chat ?? [];
    this.chatLog = this.chat.slice(-CHAT_BACKLOG);
  }

  /** A line said in team chat: kept in the full record and in the game's bounded history. */
  recordChat(message: ChatMessage): void {
    this.chat.push(message);
    this.chatLog = [...this.chatLog, message].slice(-CHAT_BACKLOG);
  }

  /** What getMapMarkers answers: the markers of the types this server reports. */
  reportedMarkerList(): Marker[] { return this.markers.filter((m) => this.reportedMarkers.has(m.type)); }

  member(steamId: SteamId): TeamMember | undefined { return this.team?.members.find((m) => m.steamId === steamId); }

  /** What getTeamInfo answers: the team, or for a player in none, a team of one with leader 0 (as the game does). */
  teamInfo(steamId: SteamId, self: TeamMember): object {
    const team = this.member(steamId) && this.team ? this.team : { leaderSteamId: "0", members: [self] };
    return { leaderSteamId: team.leaderSteamId, members: team.members, mapNotes: team.mapNotes ?? [], leaderMapNotes: team.leaderMapNotes ?? [] };
  }
}

export function entityPayload(entity: Entity): object {
  if (entity.type !== EntityType.StorageMonitor) return { value: entity.value };
  return { value: false, items: entity.items, capacity: entity.capacity, hasProtection: entity.hasProtection, protectionExpiry: entity.protectionExpiry };
}
