// Server responses the bot relies on, checked before use: a server (or a proxy in front of it) can send
// anything, and the library only checks protobuf shape.
import { z } from "zod";

/** Map positions in metres; a little outside the map is normal (ships arrive from beyond the edge). */
export const coordinate = z.number().finite().min(-100_000).max(200_000);

/** uint64 ids arrive as protobufjs Long objects (toString() is the decimal id), or as strings. */
export const steamIdOf = z
  .union([z.string(), z.number(), z.custom<{ toString(): string }>((v) => typeof v === "object" && v !== null && "low" in v && "high" in v)])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d{1,20}$/));

/** A team member as getTeamInfo and teamChanged report it. */
export const teamMember = z.object({
  steamId: steamIdOf,
  name: z.string().max(200),
  x: coordinate,
  y: coordinate,
  isOnline: z.boolean(),
  isAlive: z.boolean(),
  /** Unix seconds. */
  spawnTime: z.number().int().min(0),
  /** Unix seconds, 0 if never. */
  deathTime: z.number().int().min(0),
});
export type TeamMember = z.infer<typeof teamMember>;

export const serverInfo = z.object({
  name: z.string().max(500),
  map: z.string().max(200),
  mapSize: z.number().int().min(0).max(100_000),
  wipeTime: z.number().int().min(0),
  players: z.number().int().min(0),
  maxPlayers: z.number().int().min(0),
  queuedPlayers: z.number().int().min(0),
  seed: z.number().int().optional(),
});
export type ServerInfo = z.infer<typeof serverInfo>;

export const serverTime = z.object({
  dayLengthMinutes: z.number().min(0),
  timeScale: z.number().min(0),
  sunrise: z.number().min(0).max(24),
  sunset: z.number().min(0).max(24),
  time: z.number().min(0).max(24),
});
export type ServerTime = z.infer<typeof serverTime>;

/** What the status card shows, refreshed by polling. */
export interface ServerSnapshot {
  info: ServerInfo;
  time: ServerTime | null;
  /** When it was read (ms). */
  at: number;
}
