// Node 20 has WebAssembly at run time, but neither lib "ES2023" nor @types/node 20 declares it.
// Only what src/db/schema-engine.ts uses.
declare namespace WebAssembly {
  type Exports = Record<string, unknown>;
  type ModuleImports = Record<string, unknown>;
  interface Instance {
    readonly exports: Exports;
  }
  function instantiate(
    bytes: Uint8Array,
    imports: Record<string, ModuleImports>,
  ): Promise<{ instance: Instance }>;
}
