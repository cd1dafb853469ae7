// The one schema every Rust+ message is decoded with, shared by every rustplus.js client.
//
// Lenient: since the game's March 2025 update, servers encode proto3-style and leave every field at its default
// (0, false, "", an empty list) off the wire, while rustplus.js 2.5.0's rustplus.proto still marks ~125 fields
// `required`, so protobufjs throws `missing required 'queuedPlayers'` (empty queue), `'currencyIsBlueprint'`
// (false), `'x'`/`'y'` (a monument at 0), `'type'` (a map note of type 0)… Sources: rustplus.js #76 and its open
// PRs #77 and #82 (which drop `required`), rustplusplus #408 (monument y), #409 (currencyIsBlueprint), #410
// (queuedPlayers). So every `required` is read as `optional`: an absent scalar or enum reads as its default from
// the message prototype (uint64 as a Long of 0), an absent list as [], an absent nested message as null.
//
// Shared: rustplus.js calls protobufjs.load(rustplus.proto) on every connect() and would keep a Root (~190 KiB of
// heap) per client; the parsed types are stateless, so one Root serves all. protobufjs.load — the copy rustplus.js
// requires — answers that one file with it; other files and call forms pass through unchanged.
//
// Contained: rustplus.js decodes inside the socket's message handler, where a throw is uncaught and ends the
// process. A frame that still does not decode (truncated, garbage) becomes an empty AppMessage marked with the
// error (see undecodableFrame), which rustplus.js then emits as a `message`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type protobufjs from "protobufjs";

type Protobuf = typeof protobufjs;
type Root = protobufjs.Root;

const library = createRequire(import.meta.url).resolve("@liamcottle/rustplus.js");
/** The copy of protobufjs rustplus.js itself requires (so the patch and the Root match its classes). */
const protobuf = createRequire(library)("protobufjs") as Protobuf;
/** The schema file rustplus.js loads on connect(). */
export const RUSTPLUS_PROTO = join(dirname(library), "rustplus.proto");

/** The schema text with every `required` label read as `optional` (proto2 syntax kept: enums default to their first value). */
export function lenientSchema(text: string): string {
  return text.replace(/^(\s*)required(?=\s)/gm, "$1optional");
}

const UNDECODABLE = Symbol("rustplus.undecodable");

/** What stands in for a frame that did not decode: its error and its size in bytes. */
export interface UndecodableFrame {
  error: Error;
  bytes: number;
}

/** The decode failure an (empty) AppMessage stands for, or undefined for a message that decoded. */
export function undecodableFrame(message: object): UndecodableFrame | undefined {
  return (message as { [UNDECODABLE]?: UndecodableFrame })[UNDECODABLE];
}

let root: Root | undefined;

/**
 * The lenient Root of rustplus.proto, parsed once. Throws if the file cannot be read or a field is still required
 * after the rewrite (a changed file layout must fail loudly, not decode strictly again).
 */
export function rustPlusRoot(): Root {
  if (root) return root;
  const parsed = protobuf.parse(lenientSchema(readFileSync(RUSTPLUS_PROTO, "utf8"))).root;
  parsed.resolveAll();
  const strict = requiredFields(parsed);
  if (strict.length) throw new Error(`rustplus.proto still has required fields after the rewrite: ${strict.slice(0, 5).join(", ")}`);
  containDecodeErrors(parsed.lookupType("rustplus.AppMessage"));
  return (root = parsed);
}

function requiredFields(namespace: protobufjs.NamespaceBase): string[] {
  return namespace.nestedArray.flatMap((nested) => [
    ...(nested instanceof protobuf.Type ? nested.fieldsArray.filter((f) => f.required).map((f) => f.fullName) : []),
    ...(nested instanceof protobuf.Namespace ? requiredFields(nested) : []),
  ]);
}

/** Replaces the type's generated decode with one that answers an empty, marked message instead of throwing. */
function containDecodeErrors(type: protobufjs.Type): void {
  type.setup(); // generates decode now, so that the one replaced below is final
  const decode = type.decode.bind(type) as (...args: unknown[]) => protobufjs.Message;
  type.decode = ((data: Uint8Array | protobufjs.Reader, ...rest: unknown[]) => {
    try {
      return decode(data, ...rest);
    } catch (err) {
      const frame: UndecodableFrame = { error: err instanceof Error ? err : new Error(String(err)), bytes: data instanceof Uint8Array ? data.length : data.len };
      return Object.assign(type.create(), { [UNDECODABLE]: frame });
    }
  }) as typeof type.decode;
}

let installed = false;

/** Makes every rustplus.js client decode with the shared lenient Root. Idempotent; call before connect(). */
export function shareRustPlusProto(): void {
  if (installed) return;
  installed = true;
  const load = protobuf.load.bind(protobuf) as (filename: string, ...rest: unknown[]) => unknown;
  protobuf.load = ((filename: string, ...rest: unknown[]) => {
    if (filename !== RUSTPLUS_PROTO || rest.length > 0) return load(filename, ...rest);
    return new Promise<Root>((resolve) => resolve(rustPlusRoot()));
  }) as typeof protobuf.load;
}
