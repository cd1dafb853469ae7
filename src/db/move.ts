// `npm run db:move`: copies the embedded (PGlite) database into an empty PostgreSQL database, migrated first.
// Values travel as PostgreSQL's own text form (`col::text` read, `$n::<type>` written), which round-trips
// every type exactly: bytea stays the same bytes (secrets are never decrypted), timestamps keep their
// milliseconds, json, arrays and enums are re-parsed by the target. Tables come from the catalog, so a
// table added by a later migration is copied without a change here.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import pg from "pg";
import { redactUrl } from "../environment-errors.ts";
import { PG_CONNECT_TIMEOUT_MS, PgliteAdapterFactory } from "./adapters.ts";
import { openDatabase } from "./client.ts";
import { takeDataDir, tightenTree } from "./data-dir.ts";
import { applyMigrations } from "./migrations.ts";

/** Prisma's migration history: each database keeps its own, written by the migrations themselves. */
const HISTORY_TABLE = "_prisma_migrations";
/** Rows per INSERT, and per cursor fetch: bounds memory whatever the table's size. */
const BATCH_ROWS = 500;
/** PostgreSQL's limit is 65,535 bind parameters per statement. */
const MAX_PARAMS = 60_000;

/** A refusal or a failed check the user must act on: printed as one line, nothing left half-written. */
export class MoveError extends Error {
  override readonly name = "MoveError";
}

export interface MoveReport {
  /** Rows copied per table, in copy order (every table of the schema, empty ones included). */
  tables: { name: string; rows: number }[];
  /** Migrations applied to the embedded database before copying (it must match the code, as at start). */
  sourceMigrations: string[];
  /** Migrations applied to the target. */
  targetMigrations: string[];
}

interface Column {
  name: string;
  /** format_type(): e.g. `timestamp(3) without time zone`, `"Tier"`, `text[]`. */
  type: string;
}

type Rows = Record<string, unknown>[];
type Query = (sql: string, params?: unknown[]) => Promise<Rows>;

// Kept here too for existing callers; the one definition is in environment-errors.ts.
export { redactUrl };

/**
 * Copies every row of the embedded database in `dataDir` into the PostgreSQL database at `targetUrl`.
 * Holds the data directory's lock throughout (throws DataDirLockedError while the bot runs on it); applies
 * pending migrations to both sides; refuses (MoveError) a target with rows in any table, or whose columns
 * differ from the source's. The copy is one transaction on the target: on any failure, including a row
 * count that differs afterwards, nothing is committed.
 */
export async function moveEmbeddedToPostgres(dataDir: string, targetUrl: string): Promise<MoveReport> {
  const pgdata = join(dataDir, "pgdata");
  if (!existsSync(pgdata)) throw new MoveError(`there is no embedded database in ${dataDir} (DATA_DIR): nothing to move`);
  // No free-space minimum: moving to PostgreSQL is the way off a disk that is filling up.
  const lock = takeDataDir(dataDir, undefined, { checkSpace: false });
  const target = new pg.Client({ connectionString: targetUrl, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
  target.on("error", () => {}); // a dropped connection also rejects the query in flight, which reports it
  let source: PGlite | undefined;
  try {
    // The target is checked before the embedded database is touched at all.
    await target.connect().catch((error: unknown) => {
      throw new MoveError(`cannot connect to ${redactUrl(targetUrl)}: ${(error as Error).message}`);
    });
    const targetQuery: Query = async (sql, params) => (await target.query(sql, params)).rows as Rows;
    await refuseRows(targetQuery, targetUrl);
    source = new PGlite(pgdata);
    const factory = new PgliteAdapterFactory(source);
    const sourceMigrations = await applyMigrations(factory).finally(() => factory.close());
    const migrated = await openDatabase({ kind: "postgres", url: targetUrl, poolSize: 1 });
    await migrated.close();
    const tables = await source.transaction((tx) => copyAll(tx, target, targetUrl));
    return { tables, sourceMigrations, targetMigrations: migrated.applied };
  } finally {
    await target.end().catch(() => {});
    await source?.close().catch(() => {});
    try {
      tightenTree(dataDir); // PGlite rewrites pg_internal.init 0644 whatever the umask
    } catch {
      // The next start tightens it or names the problem; the move's own outcome is what to report here.
    }
    lock.release();
  }
}

async function copyAll(tx: Transaction, target: pg.Client, targetUrl: string): Promise<MoveReport["tables"]> {
  const sourceQuery: Query = async (sql, params) => (await tx.query<Record<string, unknown>>(sql, params)).rows;
  const targetQuery: Query = async (sql, params) => (await target.query(sql, params)).rows as Rows;
  const sourceTables = await tablesOf(sourceQuery);
  const targetTables = await tablesOf(targetQuery);
  sameShape(sourceTables, targetTables);
  const order = copyOrder([...targetTables.keys()], await foreignKeys(targetQuery));

  await target.query("BEGIN");
  try {
    // Nothing else writes these tables until the copy commits; then check again, under the lock.
    await target.query(`LOCK TABLE ${order.map(ident).join(", ")} IN ACCESS EXCLUSIVE MODE`);
    await refuseRows(targetQuery, targetUrl);
    const copied: MoveReport["tables"] = [];
    for (const table of order) {
      const rows = await copyTable(tx, target, table, sourceTables.get(table) as Column[]).catch((error: unknown) => {
        // PostgreSQL's message names the table and constraint, never a value (those are in `detail`, not shown).
        throw new MoveError(`copying ${table} failed, nothing was committed: ${(error as Error).message}`);
      });
      copied.push({ name: table, rows });
    }
    await advanceSequences(sourceQuery, targetQuery);
    await verifyCounts(sourceQuery, targetQuery, copied);
    await target.query("COMMIT");
    return copied;
  } catch (error) {
    await target.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** Tables of the current schema (without the migration history), each with its stored columns. */
async function tablesOf(query: Query): Promise<Map<string, Column[]>> {
  const rows = await query(
    `SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type"
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> $1
        AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY c.relname, a.attnum`,
    [HISTORY_TABLE],
  );
  const tables = new Map<string, Column[]>();
  for (const row of rows) {
    const table = String(row["table"]);
    const columns = tables.get(table) ?? [];
    columns.push({ name: String(row["column"]), type: String(row["type"]) });
    tables.set(table, columns);
  }
  return tables;
}

/** Both databases ran the same migrations, so this only fails on a database changed by hand. */
function sameShape(source: Map<string, Column[]>, target: Map<string, Column[]>): void {
  const describe = (columns: Column[] | undefined) =>
    (columns ?? []).map((c) => `${c.name} ${c.type}`).sort().join(", ");
  for (const table of new Set([...source.keys(), ...target.keys()])) {
    if (describe(source.get(table)) !== describe(target.get(table))) {
      throw new MoveError(
        `table ${table} differs between the embedded database and the target after migrating both ` +
          `(embedded: ${describe(source.get(table)) || "absent"}; target: ${describe(target.get(table)) || "absent"}): ` +
          `was one of them changed outside the migrations?`,
      );
    }
  }
}

async function foreignKeys(query: Query): Promise<{ child: string; parent: string }[]> {
  const rows = await query(
    `SELECT child.relname AS child, parent.relname AS parent
       FROM pg_constraint k
       JOIN pg_class child ON child.oid = k.conrelid
       JOIN pg_class parent ON parent.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = child.relnamespace
      WHERE k.contype = 'f' AND n.nspname = current_schema()`,
  );
  return rows.map((row) => ({ child: String(row["child"]), parent: String(row["parent"]) }));
}

/** Parents before children, so every foreign key holds the moment its row is inserted. */
export function copyOrder(tables: string[], edges: { child: string; parent: string }[]): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: string, path: string[]): void => {
    if (state.get(table) === "done") return;
    if (state.get(table) === "visiting") {
      throw new MoveError(`the foreign keys form a cycle (${[...path, table].join(" → ")}): no copy order exists`);
    }
    state.set(table, "visiting");
    // A table referencing itself would need its rows ordered too; the schema has none, and the insert would fail.
    for (const edge of edges) if (edge.child === table && edge.parent !== table) visit(edge.parent, [...path, table]);
    state.set(table, "done");
    order.push(table);
  };
  for (const table of [...tables].sort()) visit(table, []);
  return order;
}

/** Streams one table through a cursor, BATCH_ROWS at a time; returns the rows inserted. */
async function copyTable(tx: Transaction, target: pg.Client, table: string, columns: Column[]): Promise<number> {
  const batch = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMS / columns.length)));
  const cursor = "move_rows"; // one table at a time, closed before the next
  await tx.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns.map((c) => `${ident(c.name)}::text`).join(", ")} FROM ${ident(table)}`);
  const head = `INSERT INTO ${ident(table)} (${columns.map((c) => ident(c.name)).join(", ")}) OVERRIDING SYSTEM VALUE VALUES `;
  let total = 0;
  try {
    for (;;) {
      const { rows } = await tx.query<unknown[]>(`FETCH ${batch} FROM ${cursor}`, [], { rowMode: "array" });
      if (rows.length === 0) return total;
      const params: unknown[] = [];
      const tuples = rows.map((row) => {
        const slots = columns.map((column, i) => {
          params.push(row[i] ?? null);
          return `$${params.length}::${column.type}`;
        });
        return `(${slots.join(", ")})`;
      });
      await target.query(head + tuples.join(", "), params);
      total += rows.length;
    }
  } finally {
    await tx.query(`CLOSE ${cursor}`);
  }
}

/** Serial/identity columns: the target's sequence continues where the embedded one stood, never below a copied id. */
async function advanceSequences(source: Query, target: Query): Promise<void> {
  const owned = (query: Query) =>
    query(
      `SELECT c.relname AS "table", a.attname AS "column",
              pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS "sequence"
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
          AND pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL`,
    );
  const sourceSequences = new Map((await owned(source)).map((r) => [`${String(r["table"])}.${String(r["column"])}`, String(r["sequence"])]));
  for (const row of await owned(target)) {
    const table = String(row["table"]);
    const column = String(row["column"]);
    const candidates: bigint[] = [];
    const sourceSequence = sourceSequences.get(`${table}.${column}`);
    if (sourceSequence) {
      const [state] = await source(`SELECT last_value::text AS last, is_called AS called FROM ${sourceSequence}`);
      if (state?.["called"]) candidates.push(BigInt(String(state["last"])));
    }
    const [max] = await target(`SELECT max(${ident(column)})::text AS max FROM ${ident(table)}`);
    if (max?.["max"] != null) candidates.push(BigInt(String(max["max"])));
    if (candidates.length === 0) continue;
    const next = candidates.reduce((a, b) => (a > b ? a : b));
    await target("SELECT setval($1::regclass, $2::bigint, true)", [String(row["sequence"]), next.toString()]);
  }
}

async function verifyCounts(source: Query, target: Query, copied: MoveReport["tables"]): Promise<void> {
  const differences: string[] = [];
  for (const { name, rows } of copied) {
    const count = async (query: Query) => Number((await query(`SELECT count(*)::text AS n FROM ${ident(name)}`))[0]?.["n"]);
    const [inSource, inTarget] = [await count(source), await count(target)];
    if (inSource !== inTarget || inSource !== rows) differences.push(`${name}: ${inSource} in the embedded database, ${inTarget} in PostgreSQL`);
  }
  if (differences.length > 0) {
    throw new MoveError(`row counts differ after copying, nothing was committed: ${differences.join("; ")}`);
  }
}

/** Refuses a target holding any row outside the migration history: db:move never merges into live data. */
async function refuseRows(query: Query, targetUrl: string): Promise<void> {
  const tables = await query(
    `SELECT c.relname AS "table" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> $1 ORDER BY c.relname`,
    [HISTORY_TABLE],
  );
  const withRows: string[] = [];
  for (const row of tables) {
    const table = String(row["table"]);
    const [found] = await query(`SELECT EXISTS (SELECT 1 FROM ${ident(table)}) AS found`);
    if (found?.["found"]) withRows.push(table);
  }
  if (withRows.length > 0) {
    throw new MoveError(
      `the target database ${redactUrl(targetUrl)} already has rows (in ${withRows.join(", ")}); ` +
        `db:move only copies into an empty database: create a new one (createdb <name>) and pass its URL`,
    );
  }
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
