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
  onError(error: unknown): void;
}

export type PushSourceFactory = (init: PushSourceInit) => PushSource;

interface ReceiverClient {
  on(event: "ON_DATA_RECEIVED", listener: (data: unknown) => void): void;
  on(event: "error", listener: (error: unknown) => void): void;
  connect(): Promise<void>;
  destroy(): void;
}

const require = createRequire(import.meta.url);

export const fcmPushSource: PushSourceFactory = (init) => {
  const Client = require("@liamcottle/push-receiver/src/client.js") as new (androidId: string, securityToken: string, persistentIds: string[]) => ReceiverClient;
  const client = new Client(init.androidId, init.securityToken, init.persistentIds);
  client.on("ON_DATA_RECEIVED", (data) => init.onData(data));
  client.on("error", (error) => init.onError(error));
  return { start: () => client.connect(), stop: () => client.destroy() };
};
