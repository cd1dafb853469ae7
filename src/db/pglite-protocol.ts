// Messages between the main thread's PgliteWorkerClient and the worker that owns the PGlite instance.
// Everything crosses by structured clone, which keeps Date, BigInt and Uint8Array as they are.

/** What the worker opens: a data directory, or memory (optionally from a dump's bytes). */
export interface WorkerInit {
  dataDir: string;
  /** A `dumpDataDir()` tarball to start a memory database from. */
  loadDataDir?: Uint8Array;
}

export type Request =
  /** One statement; its values come back as PostgreSQL's text, parsed by the main thread. */
  | { id: number; op: "query"; sql: string; params: unknown[]; rowMode: "array" | "object"; tx?: number }
  | { id: number; op: "exec"; sql: string; tx?: number }
  /** Opens a transaction; answered with its number once it holds the connection. */
  | { id: number; op: "begin" }
  | { id: number; op: "rollback"; tx: number }
  /** Ends a transaction: commits unless rolled back; answered when PGlite has finished it. */
  | { id: number; op: "end"; tx: number }
  | { id: number; op: "close" };

/** A thrown error's own fields (PostgreSQL's code, detail, constraint… for a DatabaseError). */
export interface SerializedError {
  message: string;
  /** True for PGlite's messages.DatabaseError, rebuilt as one on the main thread; other errors keep their string fields (code, syscall…). */
  database: boolean;
  length: number;
  fields: Record<string, string | undefined>;
}

export type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

/** The worker's first message: ready, or the error that stopped PGlite from opening. */
export type Startup = { ready: true } | { ready: false; error: SerializedError };

/** The NoticeOrError fields PGlite fills in from PostgreSQL's ErrorResponse. */
export const DATABASE_ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;
