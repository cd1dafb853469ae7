// The main thread's side of the embedded database: PGlite runs in a worker thread (pglite-worker.ts), and this
// object offers the part of PGlite's API that pglite-prisma-adapter and the migrations use (query, exec,
// transaction), forwarding each call. PostgreSQL's work then never blocks the bot's event loop.
import { Worker } from "node:worker_threads";
import { messages, types, type PGlite, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";
import type { Request, Response, SerializedError, Startup, WorkerInit } from "./pglite-protocol.ts";

/** The embedded database's worker stopped (crashed, or was closed): every call in flight and after fails with it. */
export class DatabaseWorkerError extends Error {
  override readonly name = "DatabaseWorkerError";
}

type Parsers = NonNullable<QueryOptions["parsers"]>;
/** A parser as PGlite calls it: the text and its type OID (its declared type omits the second). */
type TextParser = (text: string, typeId: number) => unknown;
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
/** Request without its id, for each op (a plain Omit would merge the union's members). */
type Call = Request extends infer R ? (R extends Request ? Omit<R, "id"> : never) : never;

/** The methods of PGlite the Prisma adapter and the schema engine call. */
export type PgliteQueryable = Pick<PGlite, "query" | "exec" | "transaction">;

function rebuildError(error: SerializedError): Error {
  if (error.database) {
    const rebuilt = new messages.DatabaseError(error.message, error.length, "error");
    Object.assign(rebuilt, error.fields);
    return rebuilt;
  }
  return Object.assign(new Error(error.message), error.fields);
}

/** PGlite's own parsers (by type OID), used where the caller gives none, as PGlite does in-thread. */
const DEFAULT_PARSERS = types.parsers as Parsers;

/**
 * Parses the text the worker sends back (every column is PostgreSQL's text there): with the caller's parser
 * for a type, else PGlite's default, as an in-thread PGlite would. Parsers are functions, which cannot be
 * posted to a worker. Changes `result` in place and returns it.
 */
function parseResult(result: Results, parsers: Parsers | undefined, rowMode: "array" | "object"): Results {
  const columns = result.fields.flatMap((field, index) => {
    const parse = (parsers?.[field.dataTypeID] ?? DEFAULT_PARSERS[field.dataTypeID]) as TextParser | undefined;
    return parse ? [{ key: rowMode === "array" ? index : field.name, parse, oid: field.dataTypeID }] : [];
  });
  if (columns.length === 0) return result;
  for (const row of result.rows as unknown[]) {
    const cells = row as Record<string | number, unknown>;
    for (const { key, parse, oid } of columns) {
      const text = cells[key];
      if (typeof text === "string") cells[key] = parse(text, oid);
    }
  }
  return result;
}

export class PgliteWorkerClient implements PgliteQueryable {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Set once the worker has stopped: calls fail with it at once. */
  #stopped: DatabaseWorkerError | undefined;
  #closing = false;
  /** Resolves when PGlite in the worker is open; rejects with its error (or the worker's crash). */
  readonly ready: Promise<void>;

  private constructor(init: WorkerInit) {
    // The worker is TypeScript: a small .mjs loads it through tsx, which runs the bot, the tests' workers excepted.
    this.#worker = new Worker(new URL("./pglite-worker-boot.mjs", import.meta.url), {
      workerData: init,
      transferList: init.loadDataDir ? [init.loadDataDir.buffer as ArrayBuffer] : [],
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const onStartup = (startup: Startup) => {
        if (startup.ready) resolve();
        else reject(rebuildError(startup.error));
        this.#worker.on("message", (response: Response) => this.#settle(response));
      };
      this.#worker.once("message", onStartup);
      this.#worker.once("error", reject);
      this.#worker.once("exit", () => reject(this.#stopped));
    });
    this.ready.catch(() => {});
    this.#worker.on("error", (error) => this.#stop(`the embedded database's worker failed: ${error.message}`));
    this.#worker.on("exit", (code) => this.#stop(this.#closing ? "the embedded database is closed" : `the embedded database's worker exited (code ${code})`));
  }

  /**
   * Starts a worker with PGlite on `dataDir` ("memory://" for memory, optionally from `loadDataDir`, a dump).
   * Resolves once it is open; rejects with PGlite's error if it cannot open the directory.
   */
  static async open(dataDir: string, loadDataDir?: Blob): Promise<PgliteWorkerClient> {
    const client = new PgliteWorkerClient({ dataDir, ...(loadDataDir && { loadDataDir: new Uint8Array(await loadDataDir.arrayBuffer()) }) });
    try {
      await client.ready;
    } catch (error) {
      await client.#worker.terminate();
      throw error;
    }
    return client;
  }

  #stop(reason: string): void {
    this.#stopped ??= new DatabaseWorkerError(reason);
    for (const pending of this.#pending.values()) pending.reject(this.#stopped);
    this.#pending.clear();
  }

  #settle(response: Response): void {
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    if (response.ok) pending.resolve(response.value);
    else pending.reject(rebuildError(response.error));
  }

  #call(call: Call): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...call, id } as Request);
    });
  }

  async #query<T>(sql: string, params: unknown[] | undefined, options: QueryOptions | undefined, tx?: number): Promise<Results<T>> {
    const rowMode = options?.rowMode ?? "object";
    const parsers = options?.parsers;
    const result = (await this.#call({ op: "query", sql, params: params ?? [], rowMode, ...(tx !== undefined && { tx }) })) as Results;
    return parseResult(result, parsers, rowMode) as Results<T>;
  }

  /** PGlite's query: one statement with `$n` parameters. Options other than rowMode and parsers are not supported. */
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#query<T>(sql, params, options);
  }

  /** PGlite's exec: a script of statements without parameters. */
  async exec(sql: string): Promise<Results[]> {
    const results = (await this.#call({ op: "exec", sql })) as Results[];
    return results.map((result) => parseResult(result, undefined, "object"));
  }

  /**
   * PGlite's transaction: `fn`'s queries run alone on the connection (other calls wait in the worker until it
   * ends), committed when `fn` resolves and rolled back when it throws or calls `tx.rollback()`.
   */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const id = (await this.#call({ op: "begin" })) as number;
    let closed = false;
    const check = () => {
      if (closed) throw new Error("Transaction is closed");
    };
    const tx: Transaction = {
      query: async <R>(sql: string, params?: unknown[], options?: QueryOptions) => (check(), this.#query<R>(sql, params, options, id)),
      sql: () => Promise.reject(new Error("tagged-template sql is not supported through the worker")),
      exec: async (sql: string) => {
        check();
        const results = (await this.#call({ op: "exec", sql, tx: id })) as Results[];
        return results.map((result) => parseResult(result, undefined, "object"));
      },
      rollback: async () => {
        check();
        closed = true;
        await this.#call({ op: "rollback", tx: id });
      },
      listen: () => Promise.reject(new Error("listen is not supported through the worker")),
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      if (!closed) {
        closed = true;
        await this.#call({ op: "rollback", tx: id }).catch(() => {});
      }
      await this.#call({ op: "end", tx: id }).catch(() => {});
      throw error;
    }
    closed = true;
    await this.#call({ op: "end", tx: id });
    return result;
  }

  /** Closes PGlite (flushing the data directory), then ends the worker. Later calls fail with DatabaseWorkerError. */
  async close(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#call({ op: "close" });
    } finally {
      this.#closing = true;
      await this.#worker.terminate();
    }
  }

  /** Ends the worker at once, as a crash would (tests). */
  async kill(): Promise<void> {
    await this.#worker.terminate();
  }
}
