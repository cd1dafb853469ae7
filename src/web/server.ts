// Starting and stopping the sidecar's HTTP server, bounded against slow and idle clients: Node's defaults
// give a request 300 s and accept any number of connections, and its close() waits for busy connections,
// so one client trickling bytes could hold a shutdown open until the process was killed.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { listenProblem } from "../environment-errors.ts";
import { watchOutbox } from "../metrics/outbox.ts";
import { createWebApp } from "./app.ts";
import type { WebDeps } from "./deps.ts";

/** Milliseconds and counts; constants, not configuration: they bound abuse, not ordinary traffic. */
export interface HttpLimits {
  /** The whole header block must arrive within this (a client trickling headers is cut off with 408). */
  headersTimeoutMs: number;
  /** The whole request, body included (webhook bodies are small; browsers send GETs). */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this (Node's default, made explicit). */
  keepAliveTimeoutMs: number;
  /** Connections beyond this are refused (closed at once). */
  maxConnections: number;
  /** How often Node checks the two timeouts above, so they fire within about this much of their time. */
  checkIntervalMs: number;
  /** On close, connections still busy after this are cut. */
  closeGraceMs: number;
}

export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_000,
  checkIntervalMs: 1_000,
  closeGraceMs: 2_000,
};

export interface WebServer {
  server: Server;
  port: number;
  /** Stops accepting, closes idle connections, and after closeGraceMs every connection still open. */
  close(): Promise<void>;
}

/** Listens on WEB_HOST:WEB_PORT (or the given ones); a port in use or an address not of this machine throws
 *  EnvironmentError naming the variable. `limits` overrides HTTP_LIMITS (tests use short ones). */
export async function startWebServer(
  deps: WebDeps,
  port = deps.config.WEB_PORT,
  host = deps.config.WEB_HOST,
  limits: Partial<HttpLimits> = {},
): Promise<WebServer> {
  const l = { ...HTTP_LIMITS, ...limits };
  const server = createServer(
    {
      headersTimeout: l.headersTimeoutMs,
      requestTimeout: l.requestTimeoutMs,
      keepAliveTimeout: l.keepAliveTimeoutMs,
      connectionsCheckingInterval: l.checkIntervalMs,
    },
    createWebApp(deps),
  );
  server.maxConnections = l.maxConnections;
  server.listen(port, host);
  try {
    await once(server, "listening");
  } catch (error) {
    throw listenProblem(error, port, host) ?? error;
  }
  // /metrics reads this database's outbox while the server runs.
  const unwatchOutbox = watchOutbox(deps.prisma);
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: async () => {
      unwatchOutbox();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), l.closeGraceMs);
      try {
        await closed;
      } finally {
        clearTimeout(cut);
      }
    },
  };
}
