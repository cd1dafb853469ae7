// Creates a new embedded database cluster (PGlite's initdb) in `process.argv[2]`, then exits. Run as a child
// process of its own (client.ts): initdb leaves hundreds of MB of WASM memory resident in whatever process
// runs it, and a process that exits gives all of it back. Plain JavaScript: it needs no TypeScript loader.
import { PGlite } from "@electric-sql/pglite";

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write("usage: node pglite-initdb.mjs <data directory>\n");
  process.exit(2);
}
const pglite = new PGlite(dataDir);
await pglite.waitReady;
await pglite.close();
