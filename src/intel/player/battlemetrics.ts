// What /player asks of BattleMetrics, when the operator has a subscription (BATTLEMETRICS_TOKEN). Optional:
// without it (or switched off after a 403) every /player command works on the server's own query alone.
// The implementation lives with the BattleMetrics client (src/intel/battlemetrics), and charges each look-up
// to the user (LookupCharge: the tier's daily quota, then credits).
import type { LookupCharge } from "../types.ts";

export interface BattleMetricsPlayer {
  battlemetricsPlayerId: string;
  /** SteamID64, when BattleMetrics shows it. */
  steamId?: string;
  /** Names BattleMetrics knows, newest first. */
  names?: string[];
}

export interface PlayerBattleMetrics {
  /**
   * The player called `name` on the Rust server (its BattleMetrics server id), charged to `userId` through
   * `charge`; null when BattleMetrics has no such player there.
   * @throws UserError when BattleMetrics is off or out of quota and credits (the message says which).
   */
  findPlayer(battlemetricsServerId: string, name: string, userId: string, charge: LookupCharge): Promise<BattleMetricsPlayer | null>;
}

/** Player intel services handed to commands; each is optional. */
export interface PlayerIntelServices {
  battlemetrics?: PlayerBattleMetrics;
  charge?: LookupCharge;
}
