// Prisma's own schema engine, compiled to wasm, driven through a driver adapter: `prisma migrate` without
// the native engine that cannot be downloaded offline. It reads and writes the very same
// prisma/migrations folder and _prisma_migrations rows as the CLI.
import { readFile } from "node:fs/promises";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

type EngineClass = typeof SchemaEngine;
let engineClass: Promise<EngineClass> | undefined;

/** Node 20 cannot `import` a .wasm file: instantiate it by hand with the package's JS glue as its imports. */
async function loadEngineClass(): Promise<EngineClass> {
  const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmUrl = new URL("./schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm"));
  const { instance } = await WebAssembly.instantiate(await readFile(wasmUrl), {
    "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
  });
  const setWasm = (glue as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void }).__wbg_set_wasm;
  setWasm(instance.exports);
  (instance.exports["__wbindgen_start"] as () => void)();
  return (glue as unknown as { SchemaEngine: EngineClass }).SchemaEngine;
}

export class SchemaEngineError extends Error {
  override readonly name = "SchemaEngineError";
}

export interface OpenEngine {
  engine: SchemaEngine;
  /** Runs an engine call and turns its errors (and adapter errors it only refers to by id) into readable ones. */
  call<T>(fn: (engine: SchemaEngine) => Promise<T>): Promise<T>;
  free(): Promise<void>;
}

export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  datamodel?: { path: string; content: string },
): Promise<OpenEngine> {
  engineClass ??= loadEngineClass();
  const Engine = await engineClass;
  // The engine never disposes the connections it opens; a PostgreSQL session left open keeps the engine's
  // advisory lock, and the next engine waits 10 s for it. Track them and dispose them on free().
  const opened: SqlDriverAdapter[] = [];
  const track = async (adapter: Promise<SqlDriverAdapter>) => {
    opened.push(await adapter);
    return opened[opened.length - 1]!;
  };
  const bound = bindMigrationAwareSqlAdapterFactory({
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: () => track(adapterFactory.connect()),
    connectToShadowDb: () => track(adapterFactory.connectToShadowDb()),
  });
  const engine = await Engine.new(
    { datamodels: datamodel ? [[datamodel.path, datamodel.content]] : undefined },
    () => {},
    bound,
  );
  return {
    engine,
    async call(fn) {
      try {
        return await fn(engine);
      } catch (error) {
        throw new SchemaEngineError(describeEngineError(error, bound.errorRegistry));
      }
    },
    async free() {
      engine.free();
      await Promise.all(opened.splice(0).map((adapter) => adapter.dispose()));
    },
  };
}

function describeEngineError(
  error: unknown,
  registry: { consumeError(id: number): { error: unknown } | undefined },
): string {
  const raw = error instanceof Error ? error.message : typeof error === "string" ? error : JSON.stringify(error);
  const id = /External error id#(\d+)/.exec(raw)?.[1];
  const original = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  if (original === undefined) return raw;
  const detail = original instanceof Error ? original.message : JSON.stringify(original);
  return `${raw} (${detail})`;
}
