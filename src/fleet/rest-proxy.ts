// The fleet's REST proxy: every bot process sends its Discord REST requests here (their DISCORD_REST_URL points
// at it) and this one process sends them on to Discord (its own DISCORD_REST_URL, Discord's by default), so
// the per-route buckets and Discord's global limit (50 requests/s per bot token) are kept once for the whole
// fleet instead of once per process. `proxyRequests` of @discordjs/proxy does the forwarding: it passes on the
// method, path, query, body (JSON or multipart files; read once here so a retry can send it again),
// Content-Type, Authorization and X-Audit-Log-Reason; nothing else, so the lane header never reaches Discord.
// Discord's answers come back as they are without the X-RateLimit headers (the proxy keeps the limits),
// errors with their status and JSON.
//
// The global limit is our lane limiter (lanes.ts), one per bot token, applied where each request is really
// sent: a request's lane comes from its X-Rustplus-Lane header, carried to the send through AsyncLocalStorage.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isIP, type AddressInfo } from "node:net";
import { proxyRequests } from "@discordjs/proxy";
import { DefaultRestOptions, REST } from "@discordjs/rest";
import type { Logger } from "../logger.ts";
import { gatedMakeRequest, type MakeRequest } from "./gated-request.ts";
import { isLane, LANE_HEADER, LaneLimiter, type Lane } from "./lanes.ts";

export interface RestProxyOptions {
  /** Where Discord is: "https://discord.com/api" (the proxy's DISCORD_REST_URL). */
  upstream: string;
  /** DISCORD_GLOBAL_REQUESTS_PER_SECOND: the whole fleet's share of Discord's global limit. */
  perSecond: number;
  host: string;
  /** 0: any free port. */
  port: number;
  logger: Logger;
}

export interface RunningProxy {
  /** "http://host:port/api": what every bot process's DISCORD_REST_URL is set to. */
  url: string;
  port: number;
  /** Requests let through per lane, over every token (for tests and benchmarks). */
  granted(lane: Lane): number;
  close(): Promise<void>;
}

interface InFlight {
  lane: Lane | undefined;
  /** The incoming body read once, so that a retry (after a 429, 5xx or reset connection) sends it again. */
  body: () => Promise<Buffer | undefined>;
  /** Aborts when the bot process gave up on the request (closed the connection) before it was sent. */
  gone: AbortSignal;
}

/** Listens on host:port; rejects with the listen error (EADDRINUSE…) as Node gives it. */
export async function startRestProxy(options: RestProxyOptions): Promise<RunningProxy> {
  const { logger } = options;
  const context = new AsyncLocalStorage<InFlight>();
  const limiters = new Map<string, LaneLimiter>();
  const limiterFor = (authorization: string | undefined): LaneLimiter => {
    // Keyed by a hash: the token itself is never kept in a readable form longer than the request.
    const key = createHash("sha256").update(authorization ?? "").digest("hex");
    let limiter = limiters.get(key);
    if (!limiter) limiters.set(key, (limiter = new LaneLimiter({ perSecond: options.perSecond })));
    return limiter;
  };
  const gated = gatedMakeRequest({ limiterFor, forwardLane: false, defaultLane: () => context.getStore()?.lane, send: sendOrBadGateway });
  const rest = new REST({
    api: options.upstream,
    // The lane limiter is the only global gate (gated-request.ts).
    globalRequestsPerSecond: Infinity,
    makeRequest: async (url, init) => {
      const store = context.getStore();
      const gone = store?.gone;
      // A request whose bot process has gone is not sent (it would be sent again when that process retries).
      const signal = gone && init.signal ? AbortSignal.any([gone, init.signal as AbortSignal]) : (gone ?? init.signal);
      // proxyRequests hands on the incoming stream, which a retry would find already read: send a copy.
      const body = store && init.body !== null && init.body !== undefined && typeof init.body === "object" && "pipe" in init.body ? await store.body() : init.body;
      return gated(url, { ...init, body: body ?? null, signal: signal ?? null });
    },
  });
  const forward = proxyRequests(rest);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const given = request.headers[LANE_HEADER];
    const lane = typeof given === "string" && isLane(given.trim().toLowerCase()) ? (given.trim().toLowerCase() as Lane) : undefined;
    const gone = new AbortController();
    response.once("close", () => {
      if (!response.writableFinished) gone.abort(new ClientGone());
    });
    let read: Promise<Buffer | undefined> | undefined;
    const body = () =>
      (read ??= (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        return chunks.length ? Buffer.concat(chunks) : undefined;
      })());
    try {
      await context.run({ lane, gone: gone.signal, body }, () => forward(request, response));
    } catch (error) {
      // proxyRequests has ended the response already; what is left is to say why.
      if (error instanceof ClientGone || gone.signal.aborted) return;
      logger.error({ err: error, method: request.method, path: request.url?.split("?")[0] }, "REST proxy: request failed");
    }
  };
  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/api`,
    port,
    granted: (lane) => [...limiters.values()].reduce((n, l) => n + l.granted(lane), 0),
    async close() {
      for (const limiter of limiters.values()) limiter.close(new ClientGone());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The bot process closed the request: nothing to send it to, and nothing to retry. */
class ClientGone extends Error {
  override readonly name = "ClientGone";
  constructor() {
    super("the client closed the request before it was sent");
  }
}

/**
 * Sends to Discord; a network failure (Discord unreachable) becomes a 502 Bad Gateway answer, as from any HTTP
 * proxy, so the REST client retries it and the bot process sees a 5xx. (proxyRequests would otherwise end the
 * response with an empty 200.) An abort stays an abort: the REST client retries a timeout, and answers 504.
 */
const sendOrBadGateway: MakeRequest = async (url, init) => {
  try {
    return await DefaultRestOptions.makeRequest(url, init);
  } catch (error) {
    if ((error as Error).name === "AbortError" || init.signal?.aborted) throw init.signal?.reason instanceof ClientGone ? init.signal.reason : error;
    return new Response(JSON.stringify({ message: `REST proxy: Discord could not be reached (${(error as Error).message})`, code: 0 }), {
      status: 502,
      statusText: "Bad Gateway",
      headers: { "content-type": "application/json" },
    });
  }
};

const ANY_OR_LOOPBACK = (host: string) => host === "localhost" || host === "0.0.0.0" || host === "::" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));

/**
 * Whether `upstream` (the proxy's DISCORD_REST_URL) is the proxy itself, listening on `host`:`port`: the mistake
 * of one .env shared by the bot processes and the proxy. Every request would then be forwarded to the proxy
 * again, round and round, and never answered. Port 0 (any free port) cannot be named in advance: false.
 */
export function upstreamIsSelf(upstream: string, host: string, port: number): boolean {
  const url = new URL(upstream);
  const upstreamPort = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const upstreamHost = url.hostname.replace(/^\[|\]$/g, "");
  if (port === 0 || upstreamPort !== port) return false;
  return upstreamHost === host || (ANY_OR_LOOPBACK(upstreamHost) && ANY_OR_LOOPBACK(host));
}
