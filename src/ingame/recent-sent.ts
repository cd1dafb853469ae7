// What the bot said in team chat lately, per game server address and speaking player. The game echoes every
// team message back to its sender, and the bot's player is also a real player whose own typing must still
// count: an echo is recognised by its text and speaker within a short window, once per listening connection.

const KEEP_MS = 60_000;

interface Sent {
  text: string;
  at: number;
  /** Connections that have heard this echo already. */
  heardBy: Set<string>;
}

export class RecentlySent {
  readonly #byKey = new Map<string, Sent[]>();

  constructor(private readonly now: () => number) {}

  remember(address: string, speaker: string, text: string): void {
    const key = `${address}/${speaker}`;
    this.#byKey.set(key, [...this.#fresh(key), { text, at: this.now(), heardBy: new Set() }]);
  }

  /** Sending failed: nothing will echo. */
  forget(address: string, speaker: string, text: string): void {
    const key = `${address}/${speaker}`;
    const list = this.#fresh(key);
    const i = list.findIndex((s) => s.text === text && s.heardBy.size === 0);
    if (i >= 0) list.splice(i, 1);
    this.#store(key, list);
  }

  /** True when `text` from `speaker` is one of ours coming back, once for each listening connection. */
  isEcho(address: string, speaker: string, text: string, listener: string): boolean {
    const key = `${address}/${speaker}`;
    const list = this.#fresh(key);
    const sent = list.find((s) => s.text === text && !s.heardBy.has(listener));
    sent?.heardBy.add(listener);
    this.#store(key, list);
    return sent !== undefined;
  }

  /** True when `speaker` (the bot's player) sent `text` lately, heard back or not: its line in the chat history. */
  wasSent(address: string, speaker: string, text: string): boolean {
    return this.#fresh(`${address}/${speaker}`).some((s) => s.text === text);
  }

  #store(key: string, list: Sent[]): void {
    if (list.length) this.#byKey.set(key, list);
    else this.#byKey.delete(key);
  }

  #fresh(key: string): Sent[] {
    const since = this.now() - KEEP_MS;
    return (this.#byKey.get(key) ?? []).filter((s) => s.at >= since);
  }
}

/** Lines already seen through another connection to the same game server (the first one answers commands). */
export class SeenLines {
  readonly #seen = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** True the first time within the window. */
  first(key: string): boolean {
    const now = this.now();
    for (const [k, at] of this.#seen) if (now - at > KEEP_MS) this.#seen.delete(k);
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, now);
    return true;
  }
}
