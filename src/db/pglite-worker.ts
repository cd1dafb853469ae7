// The worker thread that owns the embedded database: one PGlite instance and its data directory. Queries run
// here so that PostgreSQL's work (WASM, single-threaded) never blocks the bot's event loop.
import { parentPort, workerData } from "node:worker_threads";
import { messages, PGlite, types, type Transaction } from "@electric-sql/pglite";
import { PreparedStatements } from "./pglite-statements.ts";
import { DATABASE_ERROR_FIELDS, type Request, type Response, type SerializedError, type Startup, type WorkerInit } from "./pglite-protocol.ts";

const port = parentPort;
if (!port) throw new Error("pglite-worker.ts runs as a worker thread");
const init = workerData as WorkerInit;

interface OpenTransaction {
  tx: Transaction;
  /** The transaction's own operations, one after another (a rollback finishes before the end is handled). */
  chain: Promise<unknown>;
  finish: () => void;
  /** PGlite's transaction(): settles after its COMMIT or ROLLBACK. */
  done: Promise<void>;
}

const transactions = new Map<number, OpenTransaction>();
let nextTransaction = 1;

function serializeError(error: unknown): SerializedError {
  if (error instanceof messages.DatabaseError) {
    const fields: Record<string, string | undefined> = {};
    for (const key of DATABASE_ERROR_FIELDS) fields[key] = error[key];
    return { message: error.message, database: true, length: error.length, fields };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  // A file system error's code, syscall and path say which DATA_DIR problem it is (environment-errors.ts).
  const fields: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(err)) if (typeof value === "string") fields[key] = value;
  return { message: err.message, database: false, length: 0, fields };
}

/**
 * Every column leaves the worker as PostgreSQL's text: the main thread parses it with the caller's parsers
 * (functions, which cannot cross threads) or PGlite's own. Set once on the instance, because a per-query
 * `parsers` option makes PGlite copy its whole parser table on every query (it doubled a query's cost).
 */
const TEXT_PARSERS = Object.fromEntries(Object.keys(types.parsers).map((oid) => [oid, (text: string) => text]));

function openTransaction(): Promise<number> {
  return new Promise((begun, failed) => {
    const id = nextTransaction++;
    let finish!: () => void;
    const ended = new Promise<void>((resolve) => (finish = resolve));
    const done: Promise<void> = pglite.transaction(async (tx) => {
      transactions.set(id, { tx, chain: Promise.resolve(), finish, done });
      begun(id);
      await ended;
    });
    // Before the callback ran, this is BEGIN failing; after it, a no-op (the end reports a failed COMMIT).
    done.catch(failed);
  });
}

function inTransaction(id: number, run: (tx: Transaction) => Promise<unknown>): Promise<unknown> {
  const open = transactions.get(id);
  if (!open) return Promise.reject(new Error(`transaction ${id} is not open`));
  const result = open.chain.then(() => run(open.tx));
  open.chain = result.catch(() => {});
  return result;
}

/** Ends transaction `id` once its queued operations are done: PGlite commits unless it was rolled back. */
async function endTransaction(id: number): Promise<null> {
  const open = transactions.get(id);
  if (!open) throw new Error(`transaction ${id} is not open`);
  await open.chain;
  transactions.delete(id);
  open.finish();
  await open.done;
  return null;
}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case "query": {
      const { sql, params, rowMode } = request;
      if (request.tx === undefined) return statements.query(sql, params, rowMode, false);
      return inTransaction(request.tx, () => statements.query(sql, params, rowMode, true));
    }
    case "exec":
      return request.tx === undefined ? pglite.exec(request.sql) : inTransaction(request.tx, (tx) => tx.exec(request.sql));
    case "begin":
      return openTransaction();
    case "rollback":
      return inTransaction(request.tx, (tx) => tx.rollback());
    case "end":
      return endTransaction(request.tx);
    case "close":
      await pglite.close();
      return null;
  }
}

/**
 * PostgreSQL's shared buffers: its default 128 MB lives in the WASM memory of this thread and was most of
 * the bot's resident memory; the data files are cached by the operating system under it either way.
 */
const SHARED_BUFFERS = "16MB";

const pglite = new PGlite(init.dataDir, {
  parsers: TEXT_PARSERS,
  startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`],
  ...(init.loadDataDir && { loadDataDir: new Blob([init.loadDataDir]) }),
});
const statements = new PreparedStatements(pglite);
pglite.waitReady.then(
  () => port.postMessage({ ready: true } satisfies Startup),
  (error: unknown) => port.postMessage({ ready: false, error: serializeError(error) } satisfies Startup),
);

port.on("message", (request: Request) => {
  handle(request).then(
    (value) => port.postMessage({ id: request.id, ok: true, value } satisfies Response),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies Response),
  );
});
