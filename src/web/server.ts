// Starting and stopping the sidecar's HTTP server.
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { listenProblem } from "../environment-errors.ts";
import { createWebApp } from "./app.ts";
import type { WebDeps } from "./deps.ts";

/** Listens on WEB_HOST:WEB_PORT (or the given ones); a port in use or an address not of this machine throws
 *  EnvironmentError naming the variable. */
export async function startWebServer(
  deps: WebDeps,
  port = deps.config.WEB_PORT,
  host = deps.config.WEB_HOST,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createWebApp(deps).listen(port, host);
  try {
    await once(server, "listening");
  } catch (error) {
    throw listenProblem(error, port, host) ?? error;
  }
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
