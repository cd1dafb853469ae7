// rustplus.js parses rustplus.proto again on every connect() and keeps a Root (~190 KiB of heap) per client.
// The parsed types are stateless, so every client can share one: protobufjs.load — the copy rustplus.js
// requires — answers that one file from a cache. Other files and call forms pass through unchanged.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

interface Protobuf {
  load(filename: string, ...rest: unknown[]): unknown;
}

let installed = false;

export function shareRustPlusProto(): void {
  if (installed) return;
  installed = true;
  const library = createRequire(import.meta.url).resolve("@liamcottle/rustplus.js");
  const protobuf = createRequire(library)("protobufjs") as Protobuf;
  const proto = join(dirname(library), "rustplus.proto");
  const load = protobuf.load.bind(protobuf);
  let cached: unknown;
  protobuf.load = (filename: string, ...rest: unknown[]) => {
    if (filename !== proto || rest.length > 0) return load(filename, ...rest);
    cached ??= (load(filename) as Promise<unknown>).catch((err: unknown) => {
      cached = undefined;
      throw err;
    });
    return cached;
  };
}
