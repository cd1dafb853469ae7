// Timers on a virtual clock: time moves only when a test says so, and due callbacks fire in order.
import type { Timers } from "../../src/rustplus/timers.ts";

interface Scheduled {
  at: number;
  order: number;
  fn: () => void;
}

export class ManualTimers implements Timers {
  #now = Date.UTC(2026, 0, 1);
  #order = 0;
  readonly #scheduled = new Map<number, Scheduled>();

  readonly now = (): number => this.#now;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#order;
    this.#scheduled.set(id, { at: this.#now + Math.max(0, ms), order: id, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === "number") this.#scheduled.delete(handle);
  }

  /** When the next callback is due, if any. */
  nextAt(): number | undefined {
    let next: number | undefined;
    for (const s of this.#scheduled.values()) if (next === undefined || s.at < next) next = s.at;
    return next;
  }

  /** Moves the clock forward, firing every callback that falls due on the way (including ones they set). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let due: [number, Scheduled] | undefined;
      for (const entry of this.#scheduled) {
        if (entry[1].at <= end && (!due || entry[1].at < due[1].at || (entry[1].at === due[1].at && entry[1].order < due[1].order))) due = entry;
      }
      if (!due) break;
      this.#scheduled.delete(due[0]);
      this.#now = Math.max(this.#now, due[1].at);
      due[1].fn();
    }
    this.#now = end;
  }
}

/** Lets pending I/O callbacks and promise jobs run (not a wait for time: nothing here depends on how long). */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
