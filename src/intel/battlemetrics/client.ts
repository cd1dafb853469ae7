// BattleMetrics' JSON:API over the built-in fetch: the bearer token, one process-wide request budget
// (limiter.ts), a timeout per request, `links.next` paging (bounded), every answer validated with zod, and each
// failure a typed BattleMetricsError. 5xx and network failures are retried with backoff (bounded); 429 pauses
// the whole queue until Retry-After, then a waiting (user) request goes again; background requests never wait.
import type { z } from "zod";
import { countBattleMetricsCall } from "../../metrics/battlemetrics.ts";
import { realTimers, type Timers } from "../../rustplus/timers.ts";
import { BattleMetricsError } from "./errors.ts";
import type { RequestLimiter } from "./limiter.ts";
import { retryAfterMs } from "./retry-after.ts";

/** "user": a command someone is waiting for (queues for the budget); "background": polls (skip when none is free). */
export type Priority = "user" | "background";

export interface ClientOptions {
  baseUrl: string;
  token: string;
  limiter: RequestLimiter;
  timers?: Timers;
  /** Per request, ms (default 10 s). */
  timeoutMs?: number;
  /** Pages followed through links.next (default 5). */
  maxPages?: number;
  /** Retries after a 5xx or network failure (default 2), waiting 1 s, 2 s, … between them. */
  serverRetries?: number;
  /** Requests background calls leave free for user ones (default 0). */
  backgroundReserve?: number;
  /** Longest a user request waits out a 429's pause (ms, default 2 min); a longer pause fails it at once. */
  maxPauseWaitMs?: number;
  /** Times a user request waits out a 429 before giving up (default 3). */
  rateLimitRetries?: number;
  /**
   * Called (and awaited) when BattleMetrics refuses the token itself: 401, or 403 saying a subscription is
   * required. The error is thrown after it.
   */
  onRefused?: (error: BattleMetricsError) => Promise<void>;
}

type Query = Record<string, string>;

export class BattleMetricsClient {
  readonly #base: URL;
  readonly #timers: Timers;

  constructor(private readonly options: ClientOptions) {
    this.#base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
    this.#timers = options.timers ?? realTimers;
  }

  /** GET one document. Throws BattleMetricsError. */
  get<S extends z.ZodType>(path: string, query: Query, schema: S, priority: Priority): Promise<z.output<S>> {
    return this.#request("GET", this.#url(path, query), undefined, schema, priority);
  }

  /** POST a JSON:API body. Throws BattleMetricsError. */
  post<S extends z.ZodType>(path: string, body: unknown, schema: S, priority: Priority): Promise<z.output<S>> {
    return this.#request("POST", this.#url(path, {}), JSON.stringify(body), schema, priority);
  }

  /**
   * GET a collection, following `links.next` for at most `maxPages` pages (only to BattleMetrics' own origin:
   * the token is never sent elsewhere). Returns every page's document in order.
   */
  async pages<S extends z.ZodType<{ links?: { next?: string | null | undefined } | null | undefined }>>(
    path: string,
    query: Query,
    schema: S,
    priority: Priority,
    maxPages = this.options.maxPages ?? 5,
  ): Promise<z.output<S>[]> {
    const out: z.output<S>[] = [];
    let url: URL | undefined = this.#url(path, query);
    while (url && out.length < maxPages) {
      const page: z.output<S> = await this.#request("GET", url, undefined, schema, priority);
      out.push(page);
      const next = page.links?.next;
      url = undefined;
      if (next) {
        const parsed = URL.canParse(next, this.#base.href) ? new URL(next, this.#base) : undefined;
        if (!parsed || parsed.origin !== this.#base.origin) throw new BattleMetricsError("malformed", "BattleMetrics gave a next page on another site; not followed");
        url = parsed;
      }
    }
    return out;
  }

  #url(path: string, query: Query): URL {
    const url = new URL(path.replace(/^\//, ""), this.#base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url;
  }

  async #request<S extends z.ZodType>(method: string, url: URL, body: string | undefined, schema: S, priority: Priority): Promise<z.output<S>> {
    const serverRetries = this.options.serverRetries ?? 2;
    const rateLimitRetries = this.options.rateLimitRetries ?? 3;
    let failures = 0;
    let limited = 0;
    for (;;) {
      if (priority === "background") {
        if (!this.options.limiter.tryAcquire(this.options.backgroundReserve ?? 0)) {
          countBattleMetricsCall(this.#endpoint(url), "budget");
          throw new BattleMetricsError("budget", "no BattleMetrics request budget free right now");
        }
      } else {
        // Someone is waiting on a command: a long pause is said now, not after Discord has given up on the reply.
        const paused = this.options.limiter.pausedUntil();
        if (paused !== undefined && paused - this.#timers.now() > (this.options.maxPauseWaitMs ?? 120_000)) {
          throw new BattleMetricsError("rate-limited", "BattleMetrics is rate-limiting us; try again later", 429);
        }
        await this.options.limiter.acquire();
      }
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: {
            Accept: "application/json",
            Authorization: `Bearer ${this.options.token}`,
            ...(body !== undefined && { "Content-Type": "application/json" }),
          },
          ...(body !== undefined && { body }),
          redirect: "error",
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        const timedOut = error instanceof DOMException && error.name === "TimeoutError";
        countBattleMetricsCall(this.#endpoint(url), timedOut ? "timeout" : "network");
        if (failures < serverRetries && !timedOut) {
          await this.#backoff(failures++);
          continue;
        }
        throw timedOut
          ? new BattleMetricsError("timeout", "BattleMetrics did not answer in time")
          : new BattleMetricsError("network", `BattleMetrics could not be reached (${(error as Error).message})`);
      }
      countBattleMetricsCall(this.#endpoint(url), res.status);
      if (res.ok) return this.#parse(res, schema);
      const text = await res.text().catch(() => "");
      if (res.status === 401) {
        await this.#refused(new BattleMetricsError("unauthorized", "BattleMetrics refused the token (401): BATTLEMETRICS_TOKEN is wrong or revoked", 401));
      }
      if (res.status === 403) {
        if (/subscription is required/i.test(text)) {
          await this.#refused(new BattleMetricsError("forbidden", "BattleMetrics requires a paid subscription for API access (403)", 403));
        }
        throw new BattleMetricsError("forbidden", "BattleMetrics does not let this token see that (403)", 403);
      }
      if (res.status === 429) {
        this.options.limiter.pauseUntil(this.#timers.now() + retryAfterMs(res.headers.get("retry-after"), this.#timers.now()));
        if (priority === "background" || limited >= rateLimitRetries) throw new BattleMetricsError("rate-limited", "BattleMetrics is rate-limiting us; try again shortly", 429);
        limited++;
        continue;
      }
      if (res.status >= 500) {
        if (failures < serverRetries) {
          await this.#backoff(failures++);
          continue;
        }
        throw new BattleMetricsError("server", `BattleMetrics had a problem (HTTP ${res.status}); try again later`, res.status);
      }
      if (res.status === 404) throw new BattleMetricsError("not-found", "BattleMetrics does not know that id", 404);
      throw new BattleMetricsError("rejected", `BattleMetrics refused the request (HTTP ${res.status})`, res.status);
    }
  }

  /** The path below the base URL (the metric's endpoint label). */
  #endpoint(url: URL): string {
    return url.pathname.startsWith(this.#base.pathname) ? url.pathname.slice(this.#base.pathname.length) : url.pathname;
  }

  async #refused(error: BattleMetricsError): Promise<never> {
    await this.options.onRefused?.(error);
    throw error;
  }

  async #parse<S extends z.ZodType>(res: Response, schema: S): Promise<z.output<S>> {
    let json: unknown;
    try {
      json = JSON.parse(await res.text());
    } catch {
      throw new BattleMetricsError("malformed", "BattleMetrics answered with something that is not JSON", res.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new BattleMetricsError("malformed", "BattleMetrics answered in a shape we do not know", res.status);
    return parsed.data;
  }

  /** 1 s, 2 s, 4 s … on the injected clock. */
  #backoff(attempt: number): Promise<void> {
    return new Promise((resolve) => this.#timers.setTimeout(resolve, 1_000 * 2 ** attempt));
  }
}
