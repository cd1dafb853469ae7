// The web sidecar: Steam login, Stripe webhooks and device pairing. Middleware order matters (research/integrations.md):
// headers, request id, the Stripe route with its raw body before any parser, small parsers, rate-limited
// login routes, metrics and health, 404, and an error handler that never shows internals.
import express, { type NextFunction, type Request, type Response } from "express";
import { rateLimit } from "express-rate-limit";
import helmet from "helmet";
import type { WebDeps } from "./deps.ts";
import { databaseCheck } from "../metrics/readiness.ts";
import { devicePairing } from "./device-pairing.ts";
import { observability } from "./observability.ts";
import { requestLog } from "./request-log.ts";
import { steamLogin } from "./steam-login.ts";
import { billingReturnPages, stripeWebhook } from "./stripe-webhook.ts";

export function createWebApp(deps: WebDeps): express.Express {
  const app = express();
  app.set("trust proxy", deps.config.WEB_TRUST_PROXY);
  app.disable("x-powered-by");
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { "default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "frame-ancestors": ["'none'"] } },
      referrerPolicy: { policy: "no-referrer" },
    }),
  );
  app.use(requestLog(deps.logger));
  app.post("/stripe/webhook", express.raw({ type: "application/json", limit: "512kb" }), stripeWebhook(deps));
  app.use(express.json({ limit: "16kb" }));
  app.use(express.urlencoded({ extended: false, limit: "16kb" }));
  app.use(
    "/auth",
    rateLimit({ windowMs: 60_000, limit: 30, standardHeaders: "draft-8", legacyHeaders: false, message: { error: "Too many login attempts; wait a minute." } }),
    steamLogin(deps),
  );
  // A code has 40 random bits and lives ten minutes: at this rate per address, guessing one is hopeless.
  app.use(
    "/api/device-pairing",
    rateLimit({ windowMs: 60_000, limit: 20, standardHeaders: "draft-8", legacyHeaders: false, message: { error: "Too many attempts; wait a minute.", reason: "rate_limited" } }),
    devicePairing(deps),
  );
  app.use("/billing", billingReturnPages());
  app.use(observability({ metricsToken: deps.config.METRICS_TOKEN, readiness: [databaseCheck(deps.prisma), ...(deps.readiness ?? [])] }));
  app.use((_req, res) => void res.status(404).json({ error: "Not found" }));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof (err as { status?: unknown }).status === "number" ? (err as { status: number }).status : 500;
    if (status >= 500) req.log.error({ err }, "request failed");
    if (res.headersSent) return;
    const parseFailed = (err as { type?: unknown }).type === "entity.parse.failed";
    res.status(status).json({ error: status >= 500 ? `Internal error (request ${req.id})` : parseFailed ? "Bad request: the body is not valid JSON." : "Bad request" });
  });
  return app;
}
