// The Stripe webhook: verify the signature over the raw body (app.ts mounts express.raw before any parser),
// then apply the event exactly once (src/billing/webhook/apply.ts). 400 for anything that does not verify,
// 200 for applied, duplicate and ignored events, 500 when applying failed (nothing was written: Stripe
// redelivers). Logged: request id, event id, type and outcome; never bodies or signatures.
import { Router, type RequestHandler } from "express";
import type Stripe from "stripe";
import { discordPaymentFailed, notifyPaymentFailed, type PaymentFailedHook } from "../billing/payment-failed.ts";
import { applyStripeEvent } from "../billing/webhook/apply.ts";
import { countWebhookEvent, webhookOutcome } from "../metrics/stripe.ts";
import type { WebDeps } from "./deps.ts";

export interface StripeWebhookOptions {
  /** Tells the user a subscription payment failed; runs in the event's transaction. Default: log only. */
  onPaymentFailed?: PaymentFailedHook;
}

function paymentFailedHook(deps: WebDeps): PaymentFailedHook {
  const logger = deps.logger.child({ component: "billing" });
  return deps.notifier ? discordPaymentFailed(deps.notifier, logger) : notifyPaymentFailed(logger);
}

export function stripeWebhook(deps: WebDeps, options: StripeWebhookOptions = {}): RequestHandler {
  const { stripe, config, prisma } = deps;
  const secret = config.STRIPE_WEBHOOK_SECRET;
  if (stripe && !secret) deps.logger.warn("STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: the Stripe webhook answers 503");
  const ctx = { config, logger: deps.logger, onPaymentFailed: options.onPaymentFailed ?? paymentFailedHook(deps) };

  return async (req, res) => {
    if (!stripe || !secret) {
      res.status(503).json({ error: "Billing is not configured" });
      return;
    }
    const signature = req.headers["stripe-signature"];
    if (typeof signature !== "string" || !Buffer.isBuffer(req.body)) {
      req.log.warn({ reason: typeof signature !== "string" ? "no Stripe-Signature header" : "not a JSON body" }, "stripe webhook rejected");
      countWebhookEvent("unverified", "rejected");
      res.status(400).json({ error: "Invalid signature" });
      return;
    }
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(req.body, signature, secret);
    } catch (error) {
      // The error object carries the header and payload, and a JSON error quotes the body: log neither.
      const reason = error instanceof stripe.errors.StripeSignatureVerificationError ? error.message.split(".")[0] : "body is not a JSON event";
      req.log.warn({ reason }, "stripe webhook rejected");
      countWebhookEvent("unverified", "rejected");
      res.status(400).json({ error: "Invalid signature" });
      return;
    }
    // Signed, so from Stripe (or whoever holds the secret), but still checked: a body of another shape would fail
    // deep inside with a 500, and Stripe would redeliver it for days.
    if (!isEventShaped(event)) {
      req.log.warn({ reason: "signed body is not a Stripe event" }, "stripe webhook rejected");
      countWebhookEvent("unverified", "rejected");
      res.status(400).json({ error: "Not a Stripe event" });
      return;
    }
    const fields = { stripeEventId: event.id, stripeEventType: event.type };
    try {
      const result = await applyStripeEvent(prisma, stripe, event, ctx);
      req.log.info({ ...fields, outcome: result.outcome }, "stripe event");
      countWebhookEvent(event.type, webhookOutcome(result));
      res.json(result.duplicate ? { received: true, duplicate: true } : { received: true });
    } catch (err) {
      req.log.error({ err, ...fields }, "stripe event failed: rolled back, Stripe will redeliver");
      countWebhookEvent(event.type, "failed");
      res.status(500).json({ error: `Internal error (request ${req.id})` });
    }
  };
}

/** An object with a string id and type and an object at data.object: what every handler reads first. */
function isEventShaped(event: unknown): event is Stripe.Event {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return false;
  const { id, type, data } = event as { id?: unknown; type?: unknown; data?: { object?: unknown } | null };
  return typeof id === "string" && id !== "" && typeof type === "string" && typeof data?.object === "object" && data.object !== null;
}

const PAGES = {
  success: ["Payment received", "Thank you! Your purchase is being applied; you can close this tab and go back to Discord."],
  canceled: ["Checkout canceled", "Nothing was charged. You can close this tab and go back to Discord."],
  done: ["All set", "You can close this tab and go back to Discord."],
} as const;

/** The pages Checkout and the customer portal send the browser back to. Mount at /billing. */
export function billingReturnPages(): Router {
  const router = Router();
  for (const [page, [title, text]] of Object.entries(PAGES)) {
    router.get(`/${page}`, (_req, res) => {
      res.type("html").send(`<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p>${text}</p>`);
    });
  }
  return router;
}
