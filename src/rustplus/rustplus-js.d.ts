// The part of @liamcottle/rustplus.js 2.5.0 (CommonJS, untyped) that the bot and the tests use. Messages are protobufjs-decoded
// with the shared lenient schema (shared-proto.ts): uint64 fields (steamId, playerId, leaderSteamId) are Long objects; an absent
// scalar reads its default from the prototype (0, false, "", Long 0), an absent list is [], an absent nested message is null.
// Ambient, so self-contained (an ambient module cannot import a relative path); the bot and the tests share it.
declare module "@liamcottle/rustplus.js" {
  import type { EventEmitter } from "node:events";

  namespace RustPlus {
    interface Long { low: number; high: number; unsigned: boolean; toString(radix?: number): string; toNumber(): number }

    interface AppResponse {
      seq: number;
      success?: object; error?: { error: string }; flag?: { value: boolean };
      info?: { name: string; map: string; mapSize: number; wipeTime: number; players: number; maxPlayers: number; queuedPlayers: number; seed: number; salt: number };
      time?: { dayLengthMinutes: number; timeScale: number; sunrise: number; sunset: number; time: number };
      map?: { width: number; height: number; jpgImage: Uint8Array; oceanMargin: number; monuments: { token: string; x: number; y: number }[] };
      teamInfo?: AppTeamInfo;
      teamChat?: { messages: AppTeamMessage[] };
      entityInfo?: { type: number; payload: AppEntityPayload | null };
      mapMarkers?: { markers: AppMarker[] };
    }
    interface AppTeamInfo {
      leaderSteamId: Long;
      members: { steamId: Long; name: string; x: number; y: number; isOnline: boolean; spawnTime: number; isAlive: boolean; deathTime: number }[];
      mapNotes: { type: number; x: number; y: number }[];
      leaderMapNotes: { type: number; x: number; y: number }[];
    }
    interface AppTeamMessage { steamId: Long; name: string; message: string; color: string; time: number }
    interface AppEntityPayload {
      value: boolean; items: { itemId: number; quantity: number; itemIsBlueprint: boolean }[]; capacity: number; hasProtection: boolean; protectionExpiry: number;
    }
    interface AppMarker {
      id: number; type: number; x: number; y: number; name: string; outOfStock: boolean;
      sellOrders: { itemId: number; quantity: number; currencyId: number; costPerItem: number; amountInStock: number; itemIsBlueprint: boolean; currencyIsBlueprint: boolean }[];
    }
    interface AppBroadcast {
      teamChanged?: { playerId: Long; teamInfo: AppTeamInfo | null };
      teamMessage?: { message: AppTeamMessage | null };
      entityChanged?: { entityId: number; payload: AppEntityPayload | null };
    }
    interface AppMessage { response?: AppResponse; broadcast?: AppBroadcast }

    /** Fields of AppRequest besides seq, playerId and playerToken (which the client fills in). */
    type RequestData = Record<string, unknown>;
    type Callback = (message: AppMessage) => unknown;

    interface RustPlusClient extends EventEmitter {
      /** Loads the proto asynchronously, then opens the socket: `connected` comes later. */ connect(): void;
      /** Terminates the socket (emits `disconnected`); a no-op before connect()'s socket exists. */ disconnect(): void;
      /** Throws before connect() has created the socket. */ isConnected(): boolean;
      sendRequest(data: RequestData, callback?: Callback): void;
      /** Rejects with the AppError object ({ error: "not_found" }) on an error response, with an Error on timeout. */
      sendRequestAsync(data: RequestData, timeoutMilliseconds?: number): Promise<AppResponse>;
      getInfo(callback?: Callback): void;
      getTime(callback?: Callback): void;
      getMap(callback?: Callback): void;
      getTeamInfo(callback?: Callback): void;
      getMapMarkers(callback?: Callback): void;
      getEntityInfo(entityId: number, callback?: Callback): void;
      setEntityValue(entityId: number, value: boolean, callback?: Callback): void;
      sendTeamMessage(message: string, callback?: Callback): void;
    }

    type RustPlusConstructor = new (server: string, port: number, playerId: string, playerToken: number, useFacepunchProxy?: boolean) => RustPlusClient;
  }

  const RustPlus: RustPlus.RustPlusConstructor;
  export = RustPlus;
}
