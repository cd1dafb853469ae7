// Stripe webhook events by type and outcome. The outcome text of an applied event names ids, so it is reduced to
// applied / ignored / duplicate / failed / rejected (a delivery that did not verify has type "unverified").
import { Counter } from "prom-client";
import { PREFIX, registry } from "./registry.ts";

export type WebhookOutcome = "applied" | "ignored" | "duplicate" | "failed" | "rejected";

const events = new Counter({
  name: `${PREFIX}stripe_webhook_events_total`,
  help: "Stripe webhook deliveries by event type and outcome.",
  labelNames: ["type", "outcome"] as const,
  registers: [registry],
});

/** `type`: Stripe's event type (only from a verified event), "unverified" otherwise. */
export function countWebhookEvent(type: string, outcome: WebhookOutcome): void {
  // Stripe's types are a fixed set of dotted lowercase names; anything else still counts, under one label.
  events.inc({ type: /^[a-z_.]{1,80}$/.test(type) ? type : "other", outcome });
}

/** applyStripeEvent's outcome text → the label. */
export function webhookOutcome(result: { duplicate: boolean; outcome: string }): WebhookOutcome {
  return result.duplicate ? "duplicate" : result.outcome.startsWith("ignored") ? "ignored" : "applied";
}
