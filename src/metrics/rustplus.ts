// Rust+ metrics: live sockets by state (read from the connection managers at scrape time), and requests and
// `rate_limit` answers per Rust server. The only label is the server's "ip:port": bounded by paired servers.
import { Counter, Gauge } from "prom-client";
import type { ConnectionState } from "../rustplus/connection.ts";
import { PREFIX, registry, Sources } from "./registry.ts";

type SocketCounts = Record<ConnectionState["kind"], number>;

const socketSources = new Sources<() => SocketCounts>();

/** Reports a connection manager's `counts()` (sockets by state) until the returned function is called. */
export const watchSockets = (counts: () => SocketCounts): (() => void) => socketSources.add(counts);

new Gauge({
  name: `${PREFIX}rustplus_sockets`,
  help: "Rust+ connections of this process by state (connecting, connected, waiting to reconnect, rejected token, stopped).",
  labelNames: ["state"] as const,
  registers: [registry],
  collect() {
    this.reset();
    const sources = socketSources.all();
    if (!sources.length) return;
    const total: Record<string, number> = { connecting: 0, connected: 0, waiting: 0, rejected: 0, stopped: 0 };
    for (const read of sources) for (const [state, n] of Object.entries(read())) total[state] = (total[state] ?? 0) + n;
    for (const [state, n] of Object.entries(total)) this.set({ state }, n);
  },
});

const requests = new Counter({
  name: `${PREFIX}rustplus_requests_total`,
  help: "Rust+ requests sent, per Rust server (ip:port).",
  labelNames: ["server"] as const,
  registers: [registry],
});

const rateLimited = new Counter({
  name: `${PREFIX}rustplus_rate_limit_answers_total`,
  help: "Rust+ requests the Rust server answered with rate_limit, per Rust server (ip:port).",
  labelNames: ["server"] as const,
  registers: [registry],
});

/** `server`: "ip:port". */
export const countRustRequest = (server: string): void => requests.inc({ server });
export const countRustRateLimit = (server: string): void => rateLimited.inc({ server });
