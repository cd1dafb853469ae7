// /metrics (Prometheus text format), /healthz (alive) and /readyz (ready to serve: every readiness check passes).
// /metrics is the process's own registry, so a bot run with WEB_ENABLED shows its sockets and interactions and a
// sidecar run alone only its own. Access: with METRICS_TOKEN, `Authorization: Bearer <token>` (401 otherwise);
// without, only clients on this machine (403 otherwise): loopback, and not forwarded by a reverse proxy on it.
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { Router, type Request } from "express";
import { runChecks, type ReadinessCheck } from "../metrics/readiness.ts";
import { registry } from "../metrics/registry.ts";

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith("127.");
  return address === "::1";
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** The bearer token matches, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/** The headers reverse proxies and tunnels add for the client behind them: nginx's usual X-Real-IP (often set
 *  without X-Forwarded-For), RFC 7239's Forwarded, Cloudflare's and Akamai's client-address headers, Via. */
const FORWARDING_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host", "cf-connecting-ip", "true-client-ip", "via"];

/** A request through a reverse proxy on this machine arrives from loopback too: the forwarding headers tell. */
const forwarded = (req: Request) => FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined);

export function observability(options: { metricsToken: string | undefined; readiness: readonly ReadinessCheck[] }): Router {
  const router = Router();
  router.get("/metrics", async (req, res) => {
    if (options.metricsToken !== undefined) {
      if (!bearerMatches(req.headers.authorization, options.metricsToken)) {
        res.status(401).setHeader("WWW-Authenticate", 'Bearer realm="metrics"').json({ error: "A bearer token is required (METRICS_TOKEN)." });
        return;
      }
    } else if (!isLoopback(req.socket.remoteAddress) || forwarded(req)) {
      res.status(403).json({ error: "Metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere." });
      return;
    }
    res.type(registry.contentType).send(await registry.metrics());
  });
  // Alive: the process answers. Nothing outside it is checked, so an outage elsewhere does not get it restarted.
  router.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  router.get("/readyz", async (_req, res) => {
    const checks = await runChecks(options.readiness);
    const failed = Object.keys(checks).filter((name) => !checks[name]);
    res.status(failed.length ? 503 : 200).json({ status: failed.length ? "not ready" : "ready", checks, ...(failed.length && { failed }) });
  });
  return router;
}
