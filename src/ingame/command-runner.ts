// Runs team-chat commands and answers in team chat. Per server one command at a time, and only a few may
// wait: a teammate spamming `!pop` cannot queue up the rate budget (each answer costs 2 tokens a message).
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { RustPlusError, RustPlusUnavailable } from "../rustplus/rust-errors.ts";
import type { AfkTracker } from "./afk-tracker.ts";
import { packLines } from "./chat-text.ts";
import { COMMAND_NAME, type CommandContext, type CommandRegistry, type CommandServer } from "./registry.ts";
import { parseTeam } from "./team.ts";
import type { TeamChatSender } from "./team-chat-sender.ts";

const MAX_WAITING = 4;
/** Team messages per answer: a long list is cut rather than flooding chat. */
const MAX_ANSWER_MESSAGES = 3;

export interface RunnerDeps {
  prisma: PrismaClient;
  rust: ConnectionManager;
  sender: TeamChatSender;
  afk: AfkTracker;
  registry: CommandRegistry;
  logger: Logger;
  now: () => number;
}

/** `!note hi there` → { name: "note", args: "hi there" }; null for ordinary chat. */
export function parseCommand(text: string, prefix: string): { name: string; args: string } | null {
  if (!prefix || !text.startsWith(prefix)) return null;
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text.slice(prefix.length));
  const name = match?.[1]?.toLowerCase();
  if (!match || !name || !COMMAND_NAME.test(name)) return null;
  return { name, args: (match[2] ?? "").trim() };
}

export class CommandRunner {
  readonly #queues = new Map<string, { tail: Promise<void>; waiting: number }>();

  constructor(private readonly deps: RunnerDeps) {}

  /** Queues the command if `text` is one; resolves when it has been answered. */
  handle(server: CommandServer, caller: { steamId: string; name: string }, text: string): Promise<void> {
    const parsed = parseCommand(text, server.prefix);
    if (!parsed) return Promise.resolve();
    const queue = this.#queues.get(server.id) ?? { tail: Promise.resolve(), waiting: 0 };
    if (queue.waiting >= MAX_WAITING) {
      this.deps.logger.info({ serverId: server.id, command: parsed.name }, "in-game command dropped: too many waiting");
      return Promise.resolve();
    }
    queue.waiting++;
    queue.tail = queue.tail.then(() => this.#run(server, caller, parsed.name, parsed.args)).finally(() => queue.waiting--);
    this.#queues.set(server.id, queue);
    return queue.tail;
  }

  async #run(server: CommandServer, caller: { steamId: string; name: string }, name: string, args: string): Promise<void> {
    const { registry, logger } = this.deps;
    let lines: readonly string[];
    try {
      const command = await registry.resolve(server.id, name);
      if (!command) lines = [`Unknown command ${server.prefix}${name}. Try ${server.prefix}help`];
      else {
        const answer = await command.run(this.#context(server, caller, args));
        lines = typeof answer === "string" ? [answer] : answer;
      }
    } catch (err) {
      lines = [this.#failure(err, server, name)];
    }
    const messages = packLines(lines, MAX_ANSWER_MESSAGES);
    if (!messages.length) return;
    try {
      await this.deps.sender.send(server.id, messages, "user");
    } catch (err) {
      logger.warn({ err, serverId: server.id, command: name }, "could not answer an in-game command");
    }
  }

  #context(server: CommandServer, caller: { steamId: string; name: string }, args: string): CommandContext {
    const { rust, afk, prisma, registry, now } = this.deps;
    const request = (data: Record<string, unknown>) => rust.request(server.id, data, "user");
    return {
      server, caller, args, now, prisma, afk, registry, request,
      async team() {
        const team = parseTeam((await request({ getTeamInfo: {} })).teamInfo);
        if (!team) throw new Error("the server sent an unreadable team");
        afk.observe(server.id, team.members);
        return team;
      },
    };
  }

  #failure(err: unknown, server: CommandServer, name: string): string {
    if (err instanceof RustPlusUnavailable || (err instanceof RustPlusError && err.code === "rate_limit")) return "The server did not answer in time; try again.";
    if (err instanceof RustPlusError) return `The server refused ${server.prefix}${name} (${err.code}).`;
    this.deps.logger.error({ err, serverId: server.id, command: name }, "an in-game command failed");
    return `${server.prefix}${name} failed; the error is logged.`;
  }
}
