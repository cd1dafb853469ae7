// The Stripe webhook: built with the billing work.
import type { RequestHandler } from "express";
import type { WebDeps } from "./deps.ts";

export function stripeWebhook(_deps: WebDeps): RequestHandler {
  return (_req, res) => void res.status(503).json({ error: "Billing is not configured" });
}
