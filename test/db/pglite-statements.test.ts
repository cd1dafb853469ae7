// Named prepared statements on the embedded database (PreparedStatements): answers as PGlite's own query()
// gives them, a statement whose table changed shape is prepared again instead of failing, a statement evicted
// from the cache is deallocated, and a failing statement leaves nothing behind.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PreparedStatements } from "../../src/db/pglite-statements.ts";

describe("PreparedStatements", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = new PGlite("memory://");
    await pglite.exec("CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL, at timestamptz, tags text[])");
  });
  afterAll(() => pglite.close());

  const prepared = async () => (await pglite.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements")).rows[0]?.n;

  it("answers as PGlite's query() does, parameters serialized by the types PostgreSQL inferred", async () => {
    const statements = new PreparedStatements(pglite);
    const at = new Date("2026-12-01T07:00:00.000Z");
    await statements.query("INSERT INTO item VALUES ($1, $2, $3, $4)", [1, "a'b", at, ["x", "y,z"]], "array", false);
    const sql = "SELECT id, name, at, tags FROM item WHERE id = $1";
    const ours = await statements.query(sql, [1], "object", false);
    const theirs = await pglite.query(sql, [1]);
    expect(ours.rows).toEqual(theirs.rows);
    expect(ours.rows).toEqual([{ id: 1, name: "a'b", at, tags: ["x", "y,z"] }]);
    expect(ours.fields).toEqual(theirs.fields);
    const again = await statements.query(sql, [1], "array", false);
    expect(again.rows).toEqual([[1, "a'b", at, ["x", "y,z"]]]);
    expect(await prepared()).toBe(2); // the INSERT and the SELECT, each parsed once
  });

  it("prepares a statement again when its table changed shape, instead of failing", async () => {
    const statements = new PreparedStatements(pglite);
    const sql = "SELECT * FROM item WHERE id = $1";
    expect((await statements.query(sql, [1], "object", false)).rows[0]).not.toHaveProperty("extra");
    await pglite.exec("ALTER TABLE item ADD COLUMN extra int DEFAULT 7");
    expect((await statements.query(sql, [1], "object", false)).rows[0]).toMatchObject({ id: 1, extra: 7 });
  });

  it("deallocates the least recently used statement beyond its cap", async () => {
    await pglite.exec("DEALLOCATE ALL");
    const statements = new PreparedStatements(pglite, 3);
    for (let i = 0; i < 10; i++) await statements.query(`SELECT $1::int + ${i} AS n`, [i], "object", false);
    expect(await prepared()).toBe(3);
    expect((await statements.query("SELECT $1::int + 9 AS n", [1], "object", false)).rows).toEqual([{ n: 10 }]);
  });

  it("rejects with PostgreSQL's error and keeps nothing of a statement that failed", async () => {
    await pglite.exec("DEALLOCATE ALL");
    const statements = new PreparedStatements(pglite);
    await expect(statements.query("SELEKT 1", [], "object", false)).rejects.toMatchObject({ code: "42601" });
    await expect(statements.query("INSERT INTO item (id, name) VALUES ($1, $2)", [1, "dup"], "object", false)).rejects.toMatchObject({ code: "23505" });
    expect((await statements.query("SELECT count(*)::int AS n FROM item", [], "object", false)).rows).toEqual([{ n: 1 }]);
  });
});
