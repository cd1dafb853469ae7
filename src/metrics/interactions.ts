// Interactions by command and outcome. `command` is a registered command's name or component prefix ("unknown"
// otherwise: Discord can deliver a stale command), so the label stays bounded by the bot's own commands.
import { Counter } from "prom-client";
import { PREFIX, registry } from "./registry.ts";

/** ok: answered; user_error: a UserError answered privately; failed: an unexpected error (the user got a reference). */
export type InteractionOutcome = "ok" | "user_error" | "failed";

const interactions = new Counter({
  name: `${PREFIX}interactions_total`,
  help: "Interactions handled, by kind (command, component, autocomplete), command or component prefix, and outcome.",
  labelNames: ["kind", "command", "outcome"] as const,
  registers: [registry],
});

export function countInteraction(kind: "command" | "component" | "autocomplete", command: string, outcome: InteractionOutcome): void {
  interactions.inc({ kind, command, outcome });
}
