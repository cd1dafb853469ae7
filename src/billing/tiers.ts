// The tier table (DESIGN.md), overridable per limit with TIER_LIMITS. Pure data: no imports of config.
import { z } from "zod";

export const TIERS = ["SCOUT", "OPERATOR", "OVERLORD"] as const;
export type TierName = (typeof TIERS)[number];

export const LIMIT_KEYS = [
  "pairedServers",
  "smartDevices",
  "trackedShopItems",
  "trackedPlayers",
  "watchlists",
  "battlemetricsLookupsPerDay",
  "guestsPerServer",
  "mapNotesPerServer",
] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];
export type TierLimits = Record<LimitKey, number>;

export const DEFAULT_TIER_LIMITS: Record<TierName, TierLimits> = {
  SCOUT: { pairedServers: 1, smartDevices: 10, trackedShopItems: 5, trackedPlayers: 5, watchlists: 1, battlemetricsLookupsPerDay: 20, guestsPerServer: 0, mapNotesPerServer: 25 },
  OPERATOR: { pairedServers: 3, smartDevices: 50, trackedShopItems: 25, trackedPlayers: 50, watchlists: 5, battlemetricsLookupsPerDay: 200, guestsPerServer: 5, mapNotesPerServer: 100 },
  OVERLORD: { pairedServers: 10, smartDevices: 250, trackedShopItems: 100, trackedPlayers: 500, watchlists: 25, battlemetricsLookupsPerDay: 1_000, guestsPerServer: 20, mapNotesPerServer: 500 },
};

export const LIMIT_LABELS: Record<LimitKey, string> = {
  pairedServers: "paired servers live at once",
  smartDevices: "smart devices",
  trackedShopItems: "tracked shop items",
  trackedPlayers: "tracked players",
  watchlists: "watchlists",
  battlemetricsLookupsPerDay: "BattleMetrics lookups a day",
  guestsPerServer: "guests per paired server",
  mapNotesPerServer: "map notes per paired server",
};

const overrides = z.partialRecord(z.enum(TIERS), z.partialRecord(z.enum(LIMIT_KEYS), z.number().int().min(0).max(1_000_000)));

/** DEFAULT_TIER_LIMITS with the TIER_LIMITS JSON applied; throws a readable message on a bad value. */
export function tierLimits(json: string | undefined): Record<TierName, TierLimits> {
  if (!json) return DEFAULT_TIER_LIMITS;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error("is not valid JSON");
  }
  const parsed = overrides.safeParse(raw);
  if (!parsed.success) throw new Error(`must look like {"OPERATOR":{"pairedServers":5}} (${parsed.error.issues[0]?.message})`);
  const result = structuredClone(DEFAULT_TIER_LIMITS);
  for (const tier of TIERS) Object.assign(result[tier], parsed.data[tier] ?? {});
  return result;
}
