// A request id on every request (echoed as X-Request-Id) and one log line per request with its outcome.
// Only method, route pattern and status are logged: never paths with their parameters (a link token is one),
// bodies, query strings, cookies or headers.
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logger.ts";

declare module "express-serve-static-core" {
  interface Request {
    id: string;
    log: Logger;
  }
}

export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    req.id = randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader("X-Request-Id", req.id);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : "(no route)";
      req.log.info({ method: req.method, route, status: res.statusCode, ms: Math.round(ms) }, "request");
    });
    next();
  };
}
