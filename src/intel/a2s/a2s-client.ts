// Steam server queries (A2S_INFO, then A2S_PLAYER) to a Rust server's query port, through gamedig.
//
// Why gamedig and not a hand-written A2S client: it is the maintained query library (weekly releases, used by
// most server lists), and its Valve protocol already covers what real servers do: the S2C_CHALLENGE (0x41)
// round-trip Valve added to A2S_INFO in December 2020, split and bzip2-compressed answers, and Rust's `cp`/`mp`
// keywords (gamedig PR #663). Given an IP as `address` with `givenPortOnly`, it does no DNS look-up and asks
// exactly one port: nothing leaves for the internet. It has no install scripts. What it does not do is judged
// here: the player list is read raw (gamedig's own `players` re-sorts it and pads it with empty entries).
import { GameDig, type QueryResult } from "gamedig";
import { headOf } from "../../bot/fit-text.ts";
import type { ListedPlayer } from "../types.ts";
import { MAX_COUNT, parseRustKeywords } from "./keywords.ts";

/** What one query of a Rust server told. */
export interface A2sAnswer {
  /** The server's name (A2S_INFO). */
  name: string;
  /** Players online: Rust's `cp` keyword, else the header's count. */
  players: number;
  /** Slots: Rust's `mp` keyword, else the header's. */
  maxPlayers: number;
  /** Players in the queue (`qp`); null when the server does not say. */
  queuedPlayers: number | null;
  /** The last wipe (`born`, unix seconds → Date); null when the server does not say. */
  wipeAt: Date | null;
  /** The game port from the EDF (0x80), where given. */
  gamePort: number | null;
  /**
   * Who is online, names only (A2S gives no Steam ids), with seconds connected. Players still connecting are
   * listed with empty names by Rust and left out here. Null when the server gave no list (A2S_PLAYER unanswered
   * while players are online): the caller must not read that as "everyone left".
   */
  list: ListedPlayer[] | null;
  /** Named players listed fewer than `players` (a capped or partial list); 0 when the list is whole. */
  missingFromList: number;
  /** Entries with an empty name (connecting players). */
  unnamed: number;
}

export type A2sFailure = "timeout" | "malformed";

/** A query that got no usable answer: `timeout` (nothing came back in time) or `malformed` (an answer that could not be read). */
export class A2sError extends Error {
  constructor(
    readonly kind: A2sFailure,
    message: string,
  ) {
    super(message);
    this.name = "A2sError";
  }
}

export interface A2sClientOptions {
  /** The whole query's limit, ms (default 3000); each packet's wait is bounded by it too. */
  timeoutMs?: number;
}

/** Queries one server's query port: resolves with its answer, or rejects with an A2sError. */
export type A2sQuery = (ip: string, queryPort: number) => Promise<A2sAnswer>;

const MAX_NAME = 200;
/**
 * The longest believable connection, seconds: Facepunch's forced wipe on the first Thursday of each month
 * restarts every Rust server, so no connection outlives ~5 weeks. A longer `duration` (a hostile or broken
 * server's float, up to 3.4e38) is taken as unknown: its start would not even be a valid date.
 */
export const MAX_CONNECTED_SECONDS = 45 * 86_400;

/** An A2sQuery over one gamedig instance (one shared UDP socket for every query of the process). */
export function createA2sClient(options: A2sClientOptions = {}): A2sQuery {
  const gamedig = new GameDig();
  const timeoutMs = options.timeoutMs ?? 3000;
  return async (ip, queryPort) => {
    let result: QueryResult;
    try {
      result = await gamedig.query({
        type: "rust",
        address: ip,
        port: queryPort,
        givenPortOnly: true,
        portCache: false,
        maxRetries: 1,
        socketTimeout: Math.max(100, Math.floor(timeoutMs / 2)),
        attemptTimeout: timeoutMs,
      });
    } catch (err) {
      const text = err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err);
      if (/timed out/i.test(text)) throw new A2sError("timeout", `no answer from ${ip}:${queryPort} within ${timeoutMs} ms`);
      throw new A2sError("malformed", `the answer from ${ip}:${queryPort} could not be read`);
    }
    return readAnswer(result);
  };
}

/** Checks and shapes gamedig's result (exported for tests of odd answers). */
export function readAnswer(result: QueryResult): A2sAnswer {
  // gamedig's reader is lenient (a cut-off answer reads as empty fields), so the shape is judged here: every
  // Rust server sends its keywords, so an answer without them is not one we can read.
  if (typeof result.name !== "string" || !result.name || !Number.isInteger(result.numplayers) || !Number.isInteger(result.maxplayers) || !Array.isArray(result.raw.tags)) {
    throw new A2sError("malformed", "the server's info answer lacks its name, player counts or keywords");
  }
  const keywords = parseRustKeywords(Array.isArray(result.raw.tags) ? result.raw.tags.filter((t): t is string => typeof t === "string") : undefined);
  // gamedig already prefers cp/mp for Rust; read them again so a server without them keeps the header's counts.
  const players = keywords.currentPlayers ?? result.numplayers;
  const maxPlayers = keywords.maxPlayers ?? result.maxplayers;
  // gamedig reads cp/mp itself, so an absurd one reaches its counts too: such an answer is not one we can store.
  if (players > MAX_COUNT || maxPlayers > MAX_COUNT) throw new A2sError("malformed", `the server's player counts (${players}/${maxPlayers}) are not believable`);
  const raw = Array.isArray(result.raw.players) ? result.raw.players : [];
  const list: ListedPlayer[] = [];
  let unnamed = 0;
  for (const p of raw) {
    // Cut between graphemes: half an emoji would be stored as U+FFFD, a name no one else lists.
    const name = typeof p.name === "string" ? headOf(p.name.trim(), MAX_NAME) : "";
    if (!name) {
      unnamed++;
      continue;
    }
    const time = typeof p.time === "number" && Number.isFinite(p.time) && p.time >= 0 && p.time <= MAX_CONNECTED_SECONDS ? Math.floor(p.time) : undefined;
    list.push({ name, ...(time !== undefined && { connectedSeconds: time }) });
  }
  const noList = raw.length === 0 && players > 0;
  return {
    name: headOf(result.name, 500),
    players,
    maxPlayers,
    queuedPlayers: keywords.queuedPlayers ?? null,
    wipeAt: keywords.born ? new Date(keywords.born * 1000) : null,
    gamePort: gamePortOf(result),
    list: noList ? null : list,
    missingFromList: noList ? players : Math.max(0, players - list.length - unnamed),
    unnamed,
  };
}

/** gamedig folds the EDF game port into `connect` ("ip:port", the query port when the EDF has none). */
function gamePortOf(result: QueryResult): number | null {
  const port = Number(/:(\d{1,5})$/.exec(typeof result.connect === "string" ? result.connect : "")?.[1]);
  return Number.isInteger(port) && port > 0 && port < 65536 && port !== result.queryPort ? port : null;
}
