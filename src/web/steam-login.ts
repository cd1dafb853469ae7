// Steam login routes: built with the identity issue's Steam OpenID work.
import { Router } from "express";
import type { WebDeps } from "./deps.ts";

export function steamLogin(_deps: WebDeps): Router {
  const router = Router();
  router.use((_req, res) => void res.status(503).type("text/plain").send("Steam login is not available yet."));
  return router;
}
