// A push source for tests: the bot's listener starts it like the FCM client, and the test delivers real
// payloads through it. It never reaches Google.
import type { PushSourceFactory, PushSourceInit } from "../../src/rustplus/push-source.ts";

export class PushFeed {
  /** Running sources by android id (what the bot started, with the persistent ids it handed over). */
  readonly running = new Map<string, PushSourceInit>();
  #waiters: { androidId: string; resolve: () => void }[] = [];

  readonly factory: PushSourceFactory = (init) => ({
    start: async () => {
      this.running.set(init.androidId, init);
      for (const w of this.#waiters.filter((w) => w.androidId === init.androidId)) w.resolve();
      this.#waiters = this.#waiters.filter((w) => w.androidId !== init.androidId);
    },
    stop: () => {
      if (this.running.get(init.androidId) === init) this.running.delete(init.androidId);
    },
  });

  started(androidId: string): Promise<void> {
    if (this.running.has(androidId)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ androidId, resolve }));
  }

  deliver(androidId: string, raw: unknown): void {
    const source = this.running.get(androidId);
    if (!source) throw new Error(`no push source running for ${androidId}`);
    source.onData(raw);
  }
}
