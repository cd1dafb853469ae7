// The text of /credits balance: balance, today's BattleMetrics look-ups against the quota, and the latest
// ledger entries. Pure: the command reads the rows and the clock.
import { time } from "discord.js";
import { fitLines, fitText } from "../bot/fit-text.ts";
import { plain } from "../bot/plain-text.ts";
import type { CreditLedger } from "../generated/prisma/client.ts";
import { CREDIT_REASONS } from "./credits.ts";
import type { LookupStatus } from "./lookup-charge.ts";

/** How many ledger entries /credits balance shows. */
export const STATEMENT_ENTRIES = 10;
/** Discord's message limit. */
const MESSAGE_MAX = 2_000;

const REASON_LABELS: Record<string, string> = {
  [CREDIT_REASONS.initial]: "starting credits",
  [CREDIT_REASONS.purchase]: "credit pack bought",
  [CREDIT_REASONS.refund]: "pack refunded, credits taken back",
  [CREDIT_REASONS.dispute]: "payment disputed, credits taken back",
  [CREDIT_REASONS.battlemetricsLookup]: "BattleMetrics look-up",
  [CREDIT_REASONS.battlemetricsLookupRefund]: "BattleMetrics look-up given back (BattleMetrics failed)",
};
const LOOKUP_REASONS: readonly string[] = [CREDIT_REASONS.battlemetricsLookup, CREDIT_REASONS.battlemetricsLookupRefund];

function entryLine(entry: CreditLedger): string {
  const delta = entry.delta > 0 ? `+${entry.delta}` : `−${-entry.delta}`;
  const why = REASON_LABELS[entry.reason] ?? plain(entry.reason);
  // Only a look-up's reference means something to the player (what was looked up); the others are Stripe ids.
  const what = LOOKUP_REASONS.includes(entry.reason) && entry.reference ? `: ${fitText(plain(entry.reference), 60)}` : "";
  return `${time(entry.createdAt, "f")} **${delta}** ${why}${what} (balance ${entry.balance})`;
}

/**
 * The statement: `status` from lookupStatus(), `entries` newest first (at most STATEMENT_ENTRIES shown).
 * Self-hosted (status.billing false) it says credits cannot be bought here and names no paid command.
 */
export function creditStatement(status: LookupStatus, entries: readonly CreditLedger[]): string {
  const credits = `You have **${status.balance}** credit${status.balance === 1 ? "" : "s"}.`;
  const quota =
    `BattleMetrics look-ups today: **${Math.min(status.used, status.limit)}/${status.limit}** (${status.tier} tier; resets at 00:00 UTC, ${time(status.resetsAt, "R")}). ` +
    "Beyond the quota each look-up costs 1 credit.";
  const buy = status.billing
    ? "Buy more with `/credits buy`."
    : "Credits cannot be bought on this self-hosted bot: the tier's daily quota (set by the operator) and the credits you have are all there is.";
  const head = [credits, quota, buy, "", entries.length ? "**Recent changes** (newest first)" : "No credit changes yet."].join("\n");
  const lines = entries.slice(0, STATEMENT_ENTRIES).map(entryLine);
  const { text } = fitLines(lines, MESSAGE_MAX - head.length - 1, (n) => `… and ${n} more`);
  return text ? `${head}\n${text}` : head;
}
