// Starting and stopping the sidecar's HTTP server.
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createWebApp } from "./app.ts";
import type { WebDeps } from "./deps.ts";

export async function startWebServer(deps: WebDeps, port = deps.config.WEB_PORT, host = "0.0.0.0"): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createWebApp(deps).listen(port, host);
  await once(server, "listening");
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
