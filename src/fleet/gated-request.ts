// The `makeRequest` of a @discordjs/rest REST client, gated by the lane limiter: every request Discord counts
// against the bot's global limit waits for a token in its lane first; interaction callbacks and webhooks go
// at once. Gating here, where the request is really sent (after the per-route bucket queues and on every
// retry), makes this the only global gate: the REST's own global counter is switched off
// (globalRequestsPerSecond: Infinity) so it cannot undo the priority. A real global 429 from Discord still
// pauses the REST client as before.
import { DefaultRestOptions, type RESTOptions } from "@discordjs/rest";
import { isExemptPath, isLane, LANE_HEADER, type Lane, type LaneLimiter } from "./lanes.ts";

export type MakeRequest = RESTOptions["makeRequest"];
type Init = Parameters<MakeRequest>[1];

export interface GateOptions {
  /** The limiter for the request's Authorization header (Discord's global limit is per bot token). */
  limiterFor: (authorization: string | undefined) => LaneLimiter;
  /**
   * Keep the lane header on the request (the bot talking to the REST proxy, which reads it) or remove it
   * (talking to Discord itself, which must never see it).
   */
  forwardLane: boolean;
  /** The lane when the request has no lane header (the proxy: the lane of the request it is forwarding). */
  defaultLane?: () => Lane | undefined;
  /** Sends the request; default @discordjs/rest's own (undici). */
  send?: MakeRequest;
}

/** A `makeRequest` for `new REST({ makeRequest, globalRequestsPerSecond: Infinity })`. */
export function gatedMakeRequest(options: GateOptions): MakeRequest {
  const send = options.send ?? ((url, init) => DefaultRestOptions.makeRequest(url, init));
  return async (url, init) => {
    const headers = takeLaneHeader(init);
    const lane = headers.lane ?? options.defaultLane?.() ?? "routine";
    const forwarded = options.forwardLane ? { ...headers.rest, [LANE_HEADER]: lane } : headers.rest;
    if (!isExemptPath(apiPath(url))) await options.limiterFor(headers.authorization).take(lane, init.signal ?? undefined);
    return send(url, { ...init, headers: forwarded });
  };
}

/** "https://discord.com/api/v10/channels/1/messages?x" → "/channels/1/messages". */
export function apiPath(url: string): string {
  return new URL(url).pathname.replace(/^.*?\/v\d+(?=\/)/, "");
}

/** The request's headers without the lane header, its lane (an unknown value counts as none) and its Authorization. */
function takeLaneHeader(init: Init): { rest: Record<string, string>; lane: Lane | undefined; authorization: string | undefined } {
  const rest: Record<string, string> = {};
  let lane: Lane | undefined;
  let authorization: string | undefined;
  const entries: [string, string][] =
    init.headers === undefined || init.headers === null ? []
    : init.headers instanceof Headers ? [...init.headers.entries()]
    : Array.isArray(init.headers) ? (init.headers as [string, string][])
    : Object.entries(init.headers as Record<string, string>);
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (lower === LANE_HEADER) {
      const given = value.trim().toLowerCase();
      if (isLane(given)) lane = given;
      continue;
    }
    if (lower === "authorization") authorization = value;
    rest[name] = value;
  }
  return { rest, lane, authorization };
}
