// What can go wrong talking to BattleMetrics, told apart so callers react rightly: 401 (our token is wrong), 403
// (since July 2026 BattleMetrics answers "Access denied. A subscription is required to use the API." to every
// token without a paid subscription — rustplusplus issue #536), 429 (slow down), 5xx, timeouts, and answers that
// do not have the documented shape.

export type BattleMetricsErrorKind =
  /** 401: the token is wrong or revoked. */
  | "unauthorized"
  /** 403: no subscription (or no permission for this resource). */
  | "forbidden"
  /** 429, still limited after the bounded waits (background calls do not wait). */
  | "rate-limited"
  /** 5xx after the bounded retries. */
  | "server"
  /** 404: the id is unknown to BattleMetrics. */
  | "not-found"
  /** Any other 4xx. */
  | "rejected"
  | "timeout"
  | "network"
  /** Not JSON, or not the JSON:API shape we read. */
  | "malformed"
  /** Background work found no room in the process's request budget and did not queue. */
  | "budget"
  /** BattleMetrics is switched off for the process (after a 401 or 403) or not configured. */
  | "switched-off";

export class BattleMetricsError extends Error {
  override readonly name = "BattleMetricsError";
  constructor(
    readonly kind: BattleMetricsErrorKind,
    message: string,
    /** HTTP status, where there was an answer. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The body BattleMetrics sends with 403 to tokens without a subscription (rustplusplus #536, July 2026). */
export const SUBSCRIPTION_REQUIRED = "Access denied. A subscription is required to use the API.";
