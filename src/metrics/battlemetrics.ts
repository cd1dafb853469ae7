// BattleMetrics calls by endpoint kind and status. The path's ids are replaced by ":id" so the label is the
// endpoint's shape ("players/:id/relationships/sessions"), bounded by the client's few endpoints.
import { Counter } from "prom-client";
import { PREFIX, registry } from "./registry.ts";

const calls = new Counter({
  name: `${PREFIX}battlemetrics_requests_total`,
  help: "BattleMetrics HTTP requests by endpoint and status (the HTTP status, or network / timeout / budget).",
  labelNames: ["endpoint", "status"] as const,
  registers: [registry],
});

/** "/players/123/relationships/sessions" → "players/:id/relationships/sessions"; anything odd → "other". */
export function endpointKind(pathname: string): string {
  const parts = pathname.replace(/^\/+|\/+$/g, "").split("/").map((p) => (/^\d+$/.test(p) ? ":id" : p));
  return parts.length <= 4 && parts.every((p) => /^[a-z:][a-z-]{0,40}$/.test(p)) ? parts.join("/") : "other";
}

/** `status`: an HTTP status, or why no answer came. */
export function countBattleMetricsCall(pathname: string, status: number | "network" | "timeout" | "budget"): void {
  calls.inc({ endpoint: endpointKind(pathname), status: String(status) });
}
