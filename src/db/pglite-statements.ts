// Queries on the embedded database as named prepared statements. PGlite's own query() sends every statement
// as an unnamed one, so PostgreSQL parses, analyses and plans the same SQL on every call; Prisma sends a few
// hundred distinct texts (values are always parameters), so each is parsed once here and then only bound and
// executed. Measured on PGlite 0.5.16: a three-parameter SELECT took 0.34 ms through query() and 0.14 ms as a
// named statement (a probe in one process, 3,000 calls each). Runs in the database worker (pglite-worker.ts).
import { parse as backend, protocol, type PGlite, type Results } from "@electric-sql/pglite";

const serialize = protocol.serialize;

/** PostgreSQL's "cached plan must not change result type": a table under a cached statement was altered. */
const PLAN_RESULT_CHANGED = "0A000";

interface Statement {
  name: string;
  /** Parameter type OIDs as PostgreSQL inferred them: they choose each value's serializer, as in PGlite's query(). */
  paramTypes: number[];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Numbers instances, so two on one session (tests) never name a statement alike. */
let instances = 0;

export class PreparedStatements {
  /** By SQL text; Map order is least recently used first. */
  readonly #cache = new Map<string, Statement>();
  #next = 1;
  readonly #prefix = `rp${++instances}_`;

  /** `max`: statements kept prepared in the session (each holds a parse tree and, later, a plan). */
  constructor(private readonly pglite: PGlite, private readonly max = 1_000) {}

  /**
   * One statement with `$n` parameters, as PGlite's query() answers it (values parsed with the instance's
   * parsers). `inTransaction`: the caller holds PGlite's transaction lock already (PGlite's own tx.query).
   * @throws PGlite's messages.DatabaseError as query() would.
   */
  query(sql: string, params: unknown[], rowMode: "array" | "object", inTransaction: boolean): Promise<Results> {
    const run = () => this.pglite._runExclusiveQuery(() => this.#query(sql, params, rowMode, inTransaction));
    return inTransaction ? run() : this.pglite._runExclusiveTransaction(run);
  }

  async #query(sql: string, params: unknown[], rowMode: "array" | "object", inTransaction: boolean, retried = false): Promise<Results> {
    const statement = await this.#prepared(sql);
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const type = statement.paramTypes[index];
      const serializer = type === undefined ? undefined : this.pglite.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
    let messages;
    try {
      ({ messages } = await this.pglite.execProtocol(
        concat([serialize.bind({ statement: statement.name, values }), serialize.describe({ type: "P" }), serialize.execute({}), serialize.sync()]),
        { syncToFs: false },
      ));
    } catch (error) {
      if ((error as { code?: unknown }).code !== PLAN_RESULT_CHANGED) throw error;
      await this.#forget(sql);
      // Inside a transaction the error has aborted it already: the caller sees it, as with PostgreSQL itself.
      if (inTransaction || retried) throw error;
      return this.#query(sql, params, rowMode, inTransaction, true);
    }
    if (!inTransaction) await this.pglite.syncToFs();
    const [result] = backend.parseResults(messages, this.pglite.parsers, { rowMode });
    return result ?? { rows: [], fields: [], affectedRows: 0 };
  }

  async #prepared(sql: string): Promise<Statement> {
    const cached = this.#cache.get(sql);
    if (cached) {
      this.#cache.delete(sql);
      this.#cache.set(sql, cached);
      return cached;
    }
    const name = `${this.#prefix}${this.#next++}`;
    const { messages } = await this.pglite.execProtocol(
      concat([serialize.parse({ name, text: sql, types: [] }), serialize.describe({ type: "S", name }), serialize.sync()]),
      { syncToFs: false },
    );
    const statement = { name, paramTypes: backend.parseDescribeStatementResults(messages) };
    this.#cache.set(sql, statement);
    if (this.#cache.size > this.max) {
      const [oldest] = this.#cache.keys();
      if (oldest !== undefined) await this.#forget(oldest);
    }
    return statement;
  }

  /** Deallocates the statement for `sql`, if prepared. */
  async #forget(sql: string): Promise<void> {
    const statement = this.#cache.get(sql);
    if (!statement) return;
    this.#cache.delete(sql);
    await this.pglite.execProtocol(concat([serialize.close({ type: "S", name: statement.name }), serialize.sync()]), { syncToFs: false });
  }
}
