// Server responses the bot relies on, checked before use: a server (or a proxy in front of it) can send
// anything, and the library only checks protobuf shape.
import { z } from "zod";

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
