// Where pushes come from. In production: Google's FCM channel (MCS) through @liamcottle/push-receiver's client,
// kept alive by heartbeats (mcs-client.ts), one per stored credential. Tests run the same client against a fake
// MCS server on loopback, or feed real payloads through this interface.
import { readFileSync } from "node:fs";
import type { Config } from "../config.ts";
import { McsClient, type ChannelState, type McsOptions } from "./mcs-client.ts";

export type { ChannelState };

export interface PushSource {
  start(): Promise<void>;
  stop(): void;
  /** The channel's state, when the source keeps one (the MCS client does). */
  state?(): ChannelState;
}

export interface PushSourceInit {
  androidId: string;
  securityToken: string;
  /** Persistent ids already handled: Google does not redeliver them. */
  persistentIds: string[];
  onData(raw: unknown): void;
  /** Google refused the credentials (check-in or login); the channel keeps retrying, but this needs the player. */
  onError(error: unknown): void;
  /** The channel to Google came up or went down, and why (it reconnects by itself after a drop or a missed heartbeat). */
  onStatus(status: "connected" | "disconnected", reason?: string): void;
}

export type PushSourceFactory = (init: PushSourceInit) => PushSource;

/** A factory of MCS clients with these options (Google's endpoints and Chromium-derived timings by default). */
export function mcsPushSource(options: McsOptions = {}): PushSourceFactory {
  return (init) => {
    const client = new McsClient(init.androidId, init.securityToken, init.persistentIds, options);
    client.on("ON_DATA_RECEIVED", (data: unknown) => init.onData(data));
    client.on("refused", (error: unknown) => init.onError(error));
    client.on("state", (state: ChannelState) => (state.down ? init.onStatus("disconnected", state.down.reason) : init.onStatus("connected")));
    return { start: () => client.connect(), stop: () => client.destroy(), state: () => client.state() };
  };
}

/**
 * MCS clients on the configured endpoints (FCM_CHECKIN_URL, FCM_MCS_HOST, FCM_MCS_PORT, FCM_CA_FILE: Google's
 * unless changed, e.g. a child process under test pointed at the fake). Reads FCM_CA_FILE (checked by the config).
 */
export function configuredPushSource(config: Pick<Config, "FCM_CHECKIN_URL" | "FCM_MCS_HOST" | "FCM_MCS_PORT" | "FCM_CA_FILE">): PushSourceFactory {
  return mcsPushSource({
    checkinUrl: config.FCM_CHECKIN_URL,
    host: config.FCM_MCS_HOST,
    port: config.FCM_MCS_PORT,
    ...(config.FCM_CA_FILE && { ca: readFileSync(config.FCM_CA_FILE, "utf8") }),
  });
}
