// A rustplus.js client whose socket leaves from a chosen local address (an egress address of the fleet:
// RUSTPLUS_EGRESS_ADDRESSES). A Rust server counts Rust+ connections per source IP (app.maxconnectionsperip), so
// the fleet spreads sockets over several addresses; rustplus.js 2.5.0 opens its own `ws` socket inside connect()
// with no way to pass socket options, so this subclass replaces connect() alone. Everything else — requests and
// their seq callbacks, disconnect(), isConnected(), the AppRequest/AppMessage types — stays the library's.
import { createRequire } from "node:module";
import { isIP } from "node:net";
import RustPlus from "@liamcottle/rustplus.js";
import type WebSocketType from "ws";
import { rustPlusRoot } from "./shared-proto.ts";

type WebSocketClass = typeof WebSocketType;
type Message = RustPlus.AppMessage;
interface ProtoType {
  decode(data: Uint8Array): Message;
}

const library = createRequire(import.meta.url).resolve("@liamcottle/rustplus.js");
/** The copy of `ws` rustplus.js itself requires, so isConnected()'s `WebSocket.OPEN` and the socket agree. */
const WebSocket = createRequire(library)("ws") as WebSocketClass;

/** The fields of the library's instance that its connect() sets and its other methods read. */
interface LibraryState {
  server: string;
  port: number;
  useFacepunchProxy: boolean;
  websocket: WebSocketType | null;
  AppRequest: unknown;
  AppMessage: ProtoType;
  seqCallbacks: Array<((message: Message) => unknown) | undefined>;
}

export class BoundRustPlus extends RustPlus {
  /**
   * `localAddress`: the local IP the socket binds to (it must be an address of this machine, else connecting
   * fails with EADDRNOTAVAIL, reported as `error` then `disconnected` like any failed connect).
   */
  constructor(
    server: string,
    port: number,
    playerId: string,
    playerToken: number,
    readonly localAddress: string,
    useFacepunchProxy = false,
  ) {
    super(server, port, playerId, playerToken, useFacepunchProxy);
    // Checked here, where RustConnection reports a bad factory call; `ws` would throw it inside connect()'s promise.
    if (!isIP(localAddress)) throw new Error(`the local address ${JSON.stringify(localAddress)} is not an IP address`);
  }

  /**
   * rustplus.js 2.5.0's connect(), event for event, with `{ localAddress }` given to the `ws` constructor: it loads
   * the schema asynchronously (here the shared lenient Root, which is what the library's protobuf.load answers
   * once shareRustPlusProto() is installed), disconnects a previous socket, emits `connecting`, then maps the
   * socket's open/error/message/close to `connected`/`error`/`message`/`disconnected`, answering a response to
   * its seq callback first and emitting `message` only when the callback returns falsy.
   */
  override connect(): void {
    const self = this as unknown as LibraryState & BoundRustPlus;
    void Promise.resolve()
      .then(() => rustPlusRoot())
      .then(
        (root) => {
          if (self.websocket) this.disconnect();
          self.AppRequest = root.lookupType("rustplus.AppRequest");
          self.AppMessage = root.lookupType("rustplus.AppMessage") as unknown as ProtoType;
          this.emit("connecting");
          const address = self.useFacepunchProxy ? `wss://companion-rust.facepunch.com/game/${self.server}/${self.port}` : `ws://${self.server}:${self.port}`;
          const socket = new WebSocket(address, { localAddress: this.localAddress });
          self.websocket = socket;
          socket.on("open", () => this.emit("connected"));
          socket.on("error", (e) => this.emit("error", e));
          socket.on("message", (data: Buffer) => {
            // The library decodes twice (once for the callback, once to emit); one decode serves both here.
            const message = self.AppMessage.decode(data);
            const seq = message.response?.seq;
            const callback = seq ? self.seqCallbacks[seq] : undefined;
            if (seq && callback) {
              const handled = callback(message);
              delete self.seqCallbacks[seq];
              if (handled) return;
            }
            this.emit("message", message);
          });
          socket.on("close", () => this.emit("disconnected"));
        },
        // The library leaves a failed schema load as an unhandled rejection; here it is an `error` event.
        (err: unknown) => this.emit("error", err),
      );
  }
}
