// Team chat said while the bot was not listening (a socket drop, a bot restart, a game server restart) is read from
// the game's chat history each time a server's socket (re)connects, and the lines after the server's mark are
// posted, oldest first, once. Every line bridged live moves the mark too, so nothing is posted twice, also across a
// restart (the mark is on the PairedServer row). Per server, the history read and the live lines run one at a time,
// in arrival order, and a live line that arrives before the history was read waits for it: the lines said during a
// drop are posted before it, and a line both read and heard is posted once.
//
// The first read of a server's chat posts nothing and only sets the mark: the game's history (up to 20 lines, of
// any age) predates the bot, and the servers paired before this existed were bridged live already.
// History lines are posted only: an in-game command in them is not run, since its answer would come minutes late
// and a device command would switch something nobody asks for any more.
import type { PairedServer, PrismaClient } from "../generated/prisma/client.ts";
import type { RecentlySent } from "../ingame/recent-sent.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { ConnectionState } from "../rustplus/connection.ts";
import { postTeamMessage, type TeamMessage } from "./bridge-in.ts";
import { advance, isAfter, markAll, parseHistory, storedMark, type ChatMark } from "./mark.ts";

/** How many lines the game keeps per team (CompanionServer.ChatLog.MaxBacklog). */
export const GAME_CHAT_BACKLOG = 20;

export interface TeamChatLogDeps {
  prisma: PrismaClient;
  rust: ConnectionManager;
  notifier: Notifier;
  /** What the bot said lately: its own lines in the history are not posted. */
  sent: RecentlySent;
  logger: Logger;
  now: () => number;
  /** Background work (the history reads), so tests and shutdown can wait for it. */
  track: (work: Promise<unknown>) => void;
}

interface Held {
  task: () => Promise<void>;
  done: () => void;
}

export class TeamChatLog {
  readonly #chains = new Map<string, Promise<void>>();
  /** Live lines that arrived before the history of the current connection was read. */
  readonly #held = new Map<string, Held[]>();
  /** Servers whose history was read since their socket connected: their live lines go straight through. */
  readonly #caughtUp = new Set<string>();
  /** Bumped on every state change, so a history read of an older connection releases nothing. */
  readonly #generation = new Map<string, number>();

  constructor(private readonly deps: TeamChatLogDeps) {}

  /** Follows a server's socket: each connect reads the history before any live line is bridged. */
  onState(serverId: string, state: ConnectionState): void {
    const generation = (this.#generation.get(serverId) ?? 0) + 1;
    this.#generation.set(serverId, generation);
    this.#caughtUp.delete(serverId);
    if (state.kind === "connected") {
      this.deps.track(this.#enqueue(serverId, async () => {
        await this.#catchUp(serverId).catch((err: unknown) => this.deps.logger.error({ err, serverId }, "reading the team chat history failed"));
        if (this.#generation.get(serverId) !== generation) return;
        this.#caughtUp.add(serverId);
        const held = this.#held.get(serverId) ?? [];
        this.#held.delete(serverId);
        for (const { task, done } of held) await task().catch((err: unknown) => this.deps.logger.error({ err, serverId }, "handling a team message failed")).finally(done);
      }));
    } else if (state.kind === "stopped" || state.kind === "rejected") {
      // Nothing will read this connection's history: its held lines are dropped (a later connect reads them).
      for (const { done } of this.#held.get(serverId) ?? []) done();
      this.#held.delete(serverId);
    }
  }

  /** Runs `task` (a live line's handling) in turn for the server, after the history read; resolves when it ran. */
  live(serverId: string, task: () => Promise<void>): Promise<void> {
    if (this.#caughtUp.has(serverId)) return this.#enqueue(serverId, task);
    return new Promise<void>((resolve) => {
      this.#held.set(serverId, [...(this.#held.get(serverId) ?? []), { task, done: resolve }]);
    });
  }

  /**
   * A live line: posted (`post`) or only passed (the bot's own echo) when it comes after the server's mark, which
   * then moves past it. Resolves with whether it was new. A line without a time (0) cannot be placed: it is posted
   * and leaves the mark as it is.
   */
  async bridge(serverId: string, line: TeamMessage, action: "post" | "pass"): Promise<boolean> {
    const isNew = await this.deps.prisma.$transaction(async (tx) => {
      const row = await tx.pairedServer.findUnique({ where: { id: serverId } });
      if (!row) return false;
      if (line.time === 0) {
        if (action === "post") await postTeamMessage(this.deps.notifier, bridged(row), line, this.deps.now(), tx);
        return true;
      }
      const mark = storedMark(row);
      if (!isAfter(mark, line)) return false;
      if (action === "post") await postTeamMessage(this.deps.notifier, bridged(row), line, this.deps.now(), tx);
      await saveMark(tx, serverId, advance(mark, line));
      return true;
    });
    // The post was queued inside the transaction: the notifier sees it now, not at its next poll.
    if (isNew && action === "post") this.deps.notifier.kick();
    return isNew;
  }

  /** Reads the history and posts what came after the mark, in one transaction with the mark's move. */
  async #catchUp(serverId: string): Promise<void> {
    const target = this.deps.rust.get(serverId)?.target;
    if (!target) return;
    const log = this.deps.logger.child({ serverId });
    let teamChat: unknown;
    try {
      teamChat = (await this.deps.rust.request(serverId, { getTeamChat: {} }, "background")).teamChat;
    } catch (err) {
      // Not in a team (no_team), a timeout, a dropped socket: live lines go on; the next connect reads again.
      log.info({ err: (err as Error).message }, "could not read the team chat history");
      return;
    }
    const history = parseHistory(teamChat);
    if (!history.ok) {
      log.warn({ reason: history.reason }, "ignored a team chat history the server sent that is not valid");
      return;
    }
    const address = `${target.ip}:${target.port}`;
    const posted = await this.deps.prisma.$transaction(async (tx) => {
      const row = await tx.pairedServer.findUnique({ where: { id: serverId } });
      if (!row) return 0;
      let mark = storedMark(row);
      let count = 0;
      if (!mark) mark = markAll(history.lines);
      else {
        const first = history.lines[0];
        if (history.lines.length >= GAME_CHAT_BACKLOG && first && isAfter(mark, first) && mark.time > 0) {
          log.warn({ since: mark.time }, "more team chat was said while away than the game keeps: the oldest lines are lost");
        }
        for (const line of history.lines) {
          if (!isAfter(mark, line)) continue;
          const own = line.steamId === target.playerId && this.deps.sent.wasSent(address, line.steamId, line.message);
          if (!own) {
            await postTeamMessage(this.deps.notifier, bridged(row), line, this.deps.now(), tx);
            count++;
          }
          mark = advance(mark, line);
        }
      }
      await saveMark(tx, serverId, mark);
      return count;
    });
    if (!posted) return;
    this.deps.notifier.kick();
    log.info({ lines: posted }, "posted team chat said while the bot was away");
  }

  /** Runs `task` after the server's earlier tasks; one failing does not stop the next. */
  #enqueue(serverId: string, task: () => Promise<void>): Promise<void> {
    const run = (this.#chains.get(serverId) ?? Promise.resolve()).then(task);
    const chain = run.catch((err: unknown) => this.deps.logger.error({ err, serverId }, "handling team chat failed"));
    this.#chains.set(serverId, chain);
    void chain.then(() => {
      if (this.#chains.get(serverId) === chain) this.#chains.delete(serverId);
    });
    return run;
  }
}

function bridged(row: PairedServer) {
  return { id: row.id, userId: row.userId, serverName: row.serverName || `${row.ip}:${row.port}` };
}

async function saveMark(tx: Pick<PrismaClient, "pairedServer">, serverId: string, mark: ChatMark): Promise<void> {
  await tx.pairedServer.update({ where: { id: serverId }, data: { teamChatMarkTime: BigInt(mark.time), teamChatMarkLines: mark.lines } });
}
