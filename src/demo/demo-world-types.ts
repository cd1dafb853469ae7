// The playground's contract between its simulated Rust server (simulated-world.ts, the game side) and its
// page server (playground-server.ts, the Discord side). Everything the game panel shows is a WorldView;
// everything it can do is a GameAction, validated here before it reaches the world.
import { z } from "zod";

/** One of the player's in-game devices, whether or not it has been paired with the bot yet. */
export interface DeviceView {
  entityId: number;
  kind: "switch" | "alarm" | "storage";
  name: string;
  /** A switch's power or an alarm's state; a storage monitor's: whether it holds anything. */
  value: boolean;
  /** A pairing push was sent for it (the bot then posts its card). */
  paired: boolean;
}

export interface PlayerView {
  steamId: string;
  name: string;
  /** Map metres. */
  x: number;
  y: number;
  /** The map grid reference, e.g. "G7". */
  grid: string;
  online: boolean;
  alive: boolean;
}

export interface WorldView {
  serverName: string;
  /** The fake server's address, as the pairing push gives it. */
  ip: string;
  port: number;
  /** In-game hours, 0..24. */
  time: number;
  isDay: boolean;
  /** The simulated player who is "you" in game. */
  you: { steamId: string; name: string };
  team: PlayerView[];
  devices: DeviceView[];
  /** Map events now on the map (cargo ship, patrol helicopter, chinook…), with where they are. */
  events: { id: number; kind: "cargo" | "heli" | "chinook" | "crate"; grid: string }[];
  /** Team chat as the server keeps it, oldest first (at most the server's backlog). */
  chat: { name: string; message: string; time: number }[];
  /** Vending machines on the map; `outOfStock`: none of its orders has a purchase left. */
  vending: { id: number; name: string; grid: string; orders: number; outOfStock: boolean }[];
  /** The companion app's state: registered with the (fake) push service, and the bot logged in to it. */
  companion: { registered: boolean; botListening: boolean };
  /** The server pairing push was sent. */
  serverPaired: boolean;
  /** Rust+ sockets the fake server holds now (the bot's, once Connect was pressed). */
  connections: number;
  /** "running", or "restarting" while the server is down. */
  status: "running" | "restarting";
  /** Wipes since the demo started. */
  wipes: number;
}

const text = z.string().trim().min(1, "say something").max(128, "at most 128 characters (the game's own limit)");
const entityId = z.number().int().positive();

/** What the game panel can do. Each is something that happens in game, never a call into the bot. Strict: an unknown key is refused, not dropped. */
export const gameAction = z.discriminatedUnion("action", [
  /** The companion app registers with the push service; answers with what to paste into /credentials add. */
  z.strictObject({ action: z.literal("register-companion") }),
  /** "Pair with server" in the game's menu: the pairing push. */
  z.strictObject({ action: z.literal("pair-server") }),
  /** Hold E on a device and choose Pair: its pairing push. */
  z.strictObject({ action: z.literal("pair-device"), entityId }),
  z.strictObject({ action: z.literal("team-chat"), steamId: z.string().regex(/^\d{17}$/).optional(), text }),
  z.strictObject({ action: z.literal("trigger-alarm"), entityId }),
  z.strictObject({ action: z.literal("flip-switch"), entityId }),
  z.strictObject({ action: z.literal("event"), kind: z.enum(["cargo", "heli", "chinook", "crate"]) }),
  z.strictObject({ action: z.literal("death"), steamId: z.string().regex(/^\d{17}$/) }),
  z.strictObject({ action: z.literal("restart") }),
  z.strictObject({ action: z.literal("wipe") }),
  z.strictObject({ action: z.literal("vending"), change: z.enum(["restock", "sell-out", "new-shop", "price"]) }),
]);
export type GameAction = z.infer<typeof gameAction>;

/**
 * A refused game action: the message is for the page, never a stack trace. `status`: 409 (not now: restarting,
 * not paired yet, already dead…) or 404 (no such device or teammate), the page server's HTTP status.
 */
export class GameActionError extends Error {
  override readonly name = "GameActionError";
  constructor(message: string, readonly status: 404 | 409 = 409) {
    super(message);
  }
}

export interface DemoWorld {
  view(): WorldView;
  /** Called after every change (the simulation's ticks included); returns the unsubscribe. */
  onChange(listener: (view: WorldView) => void): () => void;
  /**
   * Does `action` in game. Resolves with text for the page when there is some (register-companion: the JSON
   * to paste into /credentials add). @throws GameActionError when it cannot be done now (no such device, not
   * registered yet, server restarting…).
   */
  act(action: GameAction): Promise<{ message?: string }>;
  close(): Promise<void>;
}
