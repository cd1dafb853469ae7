// Rust's A2S_INFO keywords (the EDF "keywords" string, comma-separated). A real answer, quoted in
// gamedig/node-gamedig#209: "mp50,cp1,ptrak,qp0,v2279,h5c706e58,stok,born1612468053,gmrust,oxide,modded":
// mp = max players, cp = current players (the header's player byte is wrong on Rust: gamedig PR #663),
// qp = players in the queue, born = the last wipe (unix seconds).

export interface RustKeywords {
  currentPlayers?: number;
  maxPlayers?: number;
  queuedPlayers?: number;
  /** The last wipe, unix seconds. */
  born?: number;
}

const KEYWORD = /^(cp|mp|qp|born)(\d{1,10})$/;
/** Above this a player count is not believed (no Rust server holds a million; a database int ends at 2^31 - 1). */
export const MAX_COUNT = 1_000_000;

/** Reads the keywords Rust puts in A2S_INFO; unknown or malformed ones are ignored. */
export function parseRustKeywords(tags: readonly string[] | undefined): RustKeywords {
  const out: RustKeywords = {};
  for (const tag of tags ?? []) {
    const m = KEYWORD.exec(tag.trim());
    if (!m) continue;
    const value = Number(m[2]);
    if (!Number.isSafeInteger(value)) continue;
    if (m[1] !== "born" && value > MAX_COUNT) continue;
    if (m[1] === "cp") out.currentPlayers = value;
    else if (m[1] === "mp") out.maxPlayers = value;
    else if (m[1] === "qp") out.queuedPlayers = value;
    else if (value > 0) out.born = value;
  }
  return out;
}
