// Orderly shutdown: what was opened last is closed first; SIGINT/SIGTERM close everything, a second signal
// exits at once. Every step has a deadline: a step that hangs (a busy connection, a peer that never answers)
// is logged and left behind, so the steps after it, the database last, still run and the process exits.
import type { Logger } from "./logger.ts";

type Closer = { name: string; close: () => Promise<void> | void };

/** How long one shutdown step may take before the next one starts. */
export const STEP_DEADLINE_MS = 10_000;

export class Lifecycle {
  readonly #closers: Closer[] = [];
  readonly #stepDeadlineMs: number;
  #closing: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    options: { stepDeadlineMs?: number } = {},
  ) {
    this.#stepDeadlineMs = options.stepDeadlineMs ?? STEP_DEADLINE_MS;
  }

  /** Registers something to close on shutdown. */
  add(name: string, close: Closer["close"]): void {
    this.#closers.push({ name, close });
  }

  close(reason: string): Promise<void> {
    this.#closing ??= this.#closeAll(reason);
    return this.#closing;
  }

  async #closeAll(reason: string): Promise<void> {
    this.logger.info({ reason }, "shutting down");
    for (const closer of this.#closers.splice(0).reverse()) await this.#closeStep(closer);
    this.logger.info("stopped");
  }

  async #closeStep({ name, close }: Closer): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"timed out">((resolve) => {
      timer = setTimeout(() => resolve("timed out"), this.#stepDeadlineMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(close).then(() => "closed" as const), deadline]);
      if (outcome === "timed out") this.logger.error({ component: name, deadlineMs: this.#stepDeadlineMs }, `closing ${name} timed out`);
      else this.logger.info({ component: name }, `closed ${name}`);
    } catch (err) {
      this.logger.error({ err, component: name }, "error while closing");
    } finally {
      clearTimeout(timer);
    }
  }

  /** Signals and process-level errors. A stray rejection is logged, not fatal: one bad request must not
   *  take down every team's alarms. An uncaught exception leaves unknown state, so it shuts down. */
  installProcessHandlers(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.#closing) {
        this.logger.warn({ signal }, "second signal: exiting now");
        process.exit(1);
      }
      void this.close(signal).then(() => process.exit(0));
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    process.on("unhandledRejection", (err) => this.logger.error({ err }, "unhandled promise rejection"));
    process.on("uncaughtException", (err) => {
      this.logger.fatal({ err }, "uncaught exception");
      void this.close("uncaughtException").then(() => process.exit(1));
    });
  }
}
