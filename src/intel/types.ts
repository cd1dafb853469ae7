// The contracts between the parts of player intel: the shared poll (one per Rust server), the optional
// BattleMetrics enrichment, and what listens to each poll (watchlist alerts, name changes, streamer mode).

/** A player in one poll's list of who is online. */
export interface ListedPlayer {
  /** The name as the server lists it (A2S gives names only; streamer-mode servers give random ones). */
  name: string;
  /** Seconds connected (A2S_PLAYER `duration`); absent where the source does not give it. */
  connectedSeconds?: number;
  /** SteamID64, where BattleMetrics (with permission) or a hand-made link gives one. */
  steamId?: string;
  battlemetricsPlayerId?: string;
}

/** A Rust server as the poll knows it (the IntelServer row's identifying fields). */
export interface PolledServer {
  id: string;
  ip: string;
  /** The Rust+ port (PairedServer.port): joins paired servers to this server. */
  appPort: number;
  queryPort: number | null;
  name: string | null;
  battlemetricsServerId: string | null;
}

/** One player coming online or going offline between two polls of a server. */
export interface PlayerTransition {
  /** The PlayerSession row this transition opened or closed. */
  sessionId: string;
  playerName: string;
  steamId?: string;
  battlemetricsPlayerId?: string;
  online: boolean;
  /** When it happened as far as the polls can tell (the poll that saw it, or the last poll that still listed them). */
  at: Date;
}

/** What the poll hands to listeners after each answered poll of a server. */
export interface IntelPollResult {
  server: PolledServer;
  at: Date;
  source: "a2s" | "battlemetrics";
  /** Everyone listed by this poll. */
  listed: ListedPlayer[];
  /** Who came online and who went offline since the previous answered poll (empty at the very first poll of a server). */
  transitions: PlayerTransition[];
  /** Every listed name looks like a streamer-mode name (names are unreliable). */
  streamerMode: boolean;
  /** This poll found a wipe newer than the last one known: every open session was closed at it. */
  wiped: boolean;
}

/** Called after each answered poll; a listener's failure is logged and never stops the poll. */
export type IntelPollListener = (result: IntelPollResult) => Promise<void>;

/**
 * BattleMetrics as the poll uses it. Never throws: when BattleMetrics is not configured, switched off (403),
 * rate-limited or the server is not matched, the list comes back as it went in.
 */
export interface PlayerEnricher {
  /** Adds BattleMetrics ids (and Steam ids where known) to a poll's list. */
  enrich(server: PolledServer, listed: ListedPlayer[]): Promise<ListedPlayer[]>;
  /** The online list from BattleMetrics when the server itself did not answer; undefined when it cannot give one. */
  fallbackList(server: PolledServer): Promise<ListedPlayer[] | undefined>;
}

/**
 * Gives one charged look-up back: the quota take of that UTC day, or the credit (ledger "battlemetrics lookup
 * refunded"). For look-ups BattleMetrics failed (off mid-call, timeout, 5xx, 429, network); a "not found" is an
 * answer and is kept. Calling it again does nothing.
 */
export type LookupRefund = () => Promise<void>;

/**
 * Charges one BattleMetrics look-up to a user: the tier's daily quota first, then one credit; returns how to
 * give it back. Throws a UserError when neither is left (nothing charged).
 */
export type LookupCharge = (userId: string, reference: string) => Promise<LookupRefund>;
