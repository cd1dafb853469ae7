// What the bot itself said in a server's team chat lately. The game echoes every team message back to its
// sender, and the bot's player is a real player whose own typing must still count: an echo is recognised by
// its text, from the bot's player, within a short window, and each remembered message matches one echo only.

const KEEP_MS = 60_000;

interface Sent {
  text: string;
  at: number;
}

export class RecentlySent {
  readonly #byServer = new Map<string, Sent[]>();

  constructor(private readonly now: () => number) {}

  remember(serverId: string, text: string): void {
    const list = this.#fresh(serverId);
    list.push({ text, at: this.now() });
    this.#byServer.set(serverId, list);
  }

  /** Sending failed: nothing will echo. */
  forget(serverId: string, text: string): void {
    this.#take(serverId, text);
  }

  /** True (once) when `text` is one of ours coming back. */
  isEcho(serverId: string, text: string): boolean {
    return this.#take(serverId, text);
  }

  #take(serverId: string, text: string): boolean {
    const list = this.#fresh(serverId);
    const i = list.findIndex((s) => s.text === text);
    if (i >= 0) list.splice(i, 1);
    if (list.length) this.#byServer.set(serverId, list);
    else this.#byServer.delete(serverId);
    return i >= 0;
  }

  #fresh(serverId: string): Sent[] {
    const since = this.now() - KEEP_MS;
    return (this.#byServer.get(serverId) ?? []).filter((s) => s.at >= since);
  }
}
