// Where pushes come from. In production: Google's FCM channel through @liamcottle/push-receiver, one client
// per stored credential. Tests feed real payloads through the same interface (DESIGN.md: the one outside
// service not faked at the protocol level).
import { createRequire } from "node:module";

export interface PushSource {
  start(): Promise<void>;
  stop(): void;
}

export interface PushSourceInit {
  androidId: string;
  securityToken: string;
  /** Persistent ids already handled: Google does not redeliver them. */
  persistentIds: string[];
  onData(raw: unknown): void;
  /** The channel failed in a way it does not recover from by itself (a failed check-in or reconnect). */
  onError(error: unknown): void;
  /** The channel to Google came up or went down (it retries by itself after a drop). */
  onStatus(status: "connected" | "disconnected"): void;
}

export type PushSourceFactory = (init: PushSourceInit) => PushSource;

interface ReceiverClient {
  on(event: "ON_DATA_RECEIVED", listener: (data: unknown) => void): void;
  on(event: "error", listener: (error: unknown) => void): void;
  on(event: "disconnect", listener: () => void): void;
  connect: () => Promise<void>;
  destroy(): void;
  _onMessage: (message: { tag: number; object: { error?: { code?: number } } }) => void;
}

/** mcs.proto's LoginResponse (push-receiver's kLoginResponseTag). */
const LOGIN_RESPONSE_TAG = 3;

const require = createRequire(import.meta.url);

export const fcmPushSource: PushSourceFactory = (init) => {
  const Client = require("@liamcottle/push-receiver/src/client.js") as new (androidId: string, securityToken: string, persistentIds: string[]) => ReceiverClient;
  const client = new Client(init.androidId, init.securityToken, init.persistentIds);
  client.on("ON_DATA_RECEIVED", (data) => init.onData(data));
  client.on("error", (error) => init.onError(error));
  client.on("disconnect", () => init.onStatus("disconnected"));
  // push-receiver 0.0.4 (pinned) emits `connect` when the TLS socket opens, before Google has accepted the
  // login, so rejected credentials would look connected between retries. Only its per-instance message
  // handler sees the login response; it is bound in the constructor, so wrapping the property catches it.
  const onMessage = client._onMessage;
  client._onMessage = (message) => {
    if (message.tag === LOGIN_RESPONSE_TAG) {
      if (message.object.error) init.onError(new Error(`Google refused the login (error ${message.object.error.code ?? "unknown"})`));
      else init.onStatus("connected");
    }
    onMessage(message);
  };
  // After a drop the client calls this.connect() again from a timer, where a failure would be an unhandled
  // rejection; the own property wraps both that call and the first one, so every failure is reported.
  const connect = client.connect.bind(client);
  client.connect = () => connect().catch((error: unknown) => init.onError(error));
  return { start: () => client.connect(), stop: () => client.destroy() };
};
