// Orderly shutdown: what was opened last is closed first; SIGINT/SIGTERM close everything, a second signal
// exits at once.
import type { Logger } from "./logger.ts";

type Closer = { name: string; close: () => Promise<void> | void };

export class Lifecycle {
  readonly #closers: Closer[] = [];
  #closing: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

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
    for (const { name, close } of this.#closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        this.logger.error({ err, component: name }, "error while closing");
      }
    }
    this.logger.info("stopped");
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
