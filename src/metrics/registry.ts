// The process's one Prometheus registry (served by the sidecar's /metrics). Module-level on purpose: counters are
// incremented from deep inside the router, the sockets and the clients, and a process has one of each. Node's
// default metrics (process_*, nodejs_*) keep their standard names so stock dashboards work; ours are prefixed.
import { collectDefaultMetrics, Registry } from "prom-client";

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Prefix of every metric this bot defines. */
export const PREFIX = "rustplus_bot_";

/**
 * Sources read at scrape time (live sockets, the outbox): each registration returns its removal, so a bot or
 * sidecar that stops stops being read. Several sources (tests run more than one bot in a process) are combined
 * by the metric that reads them.
 */
export class Sources<T> {
  readonly #items = new Set<{ read: T }>();

  add(read: T): () => void {
    const item = { read };
    this.#items.add(item);
    return () => void this.#items.delete(item);
  }

  all(): T[] {
    return [...this.#items].map((i) => i.read);
  }
}
