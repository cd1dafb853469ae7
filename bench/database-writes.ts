// Single-connection upserts through Prisma: the embedded PGlite, and PostgreSQL when BENCH_POSTGRES_URL is set.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openDatabase, type Database } from "../src/db/client.ts";
import type { BenchResult } from "./run.ts";

const ROWS = 2_000;

async function upserts(db: Database): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < ROWS; i++) {
    const steamId = `7656119${String(9_000_000_000 + i).padStart(10, "0")}`;
    await db.prisma.user.upsert({
      where: { steamId },
      create: { steamId, displayName: `p${i}` },
      update: { lastSeenAt: new Date() },
    });
  }
  return (ROWS / (performance.now() - started)) * 1000;
}

export async function databaseWrites(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const embedded = await openDatabase({ kind: "memory" });
  results.push({ name: "user upserts, embedded PGlite", figure: `${(await upserts(embedded)).toFixed(0)} /s`, detail: `${ROWS} rows, one at a time` });
  await embedded.close();

  const url = process.env["BENCH_POSTGRES_URL"];
  if (url) {
    const name = `bench_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const db = await openDatabase({ kind: "postgres", url: target.href, poolSize: 1 });
    results.push({ name: "user upserts, PostgreSQL", figure: `${(await upserts(db)).toFixed(0)} /s`, detail: `${ROWS} rows, one at a time` });
    await db.close();
    await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    await admin.end();
  }
  return results;
}
