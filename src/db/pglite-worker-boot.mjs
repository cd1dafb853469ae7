// Entry of the embedded database's worker thread: Node does not load TypeScript by itself, so tsx does.
import { tsImport } from "tsx/esm/api";

await tsImport("./pglite-worker.ts", import.meta.url);
