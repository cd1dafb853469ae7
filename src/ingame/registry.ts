// In-game team-chat commands: `!pop`, `!note <text>`, … A command is a name, a line of help and a function
// from its context to an answer. Features add theirs with `add` (events add !cargo, !heli); commands that
// exist per server (a smart device's custom command) come from a resolver.
import type { MonumentAt } from "../events/monuments.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { AppResponse } from "../rustplus/connection.ts";
import type { AfkTracker } from "./afk-tracker.ts";
import type { Team } from "./team.ts";

export interface CommandServer {
  id: string;
  userId: string;
  serverName: string;
  /** The player whose Rust+ pairing the bot speaks as. */
  playerSteamId: string;
  prefix: string;
  /** From the latest server info (0 while unknown). */
  mapSize: number;
  /** The map's monuments as last read (empty while unknown), to name places after. */
  monuments: readonly MonumentAt[];
}

export interface CommandContext {
  server: CommandServer;
  /** The team member who typed the command. */
  caller: { steamId: string; name: string };
  /** What follows the command name, trimmed (may be empty). */
  args: string;
  now(): number;
  /** A request to this server within the rate budget, at user priority. */
  request(data: Record<string, unknown>): Promise<AppResponse>;
  /** The team as the server reports it now. */
  team(): Promise<Team>;
  prisma: PrismaClient;
  afk: AfkTracker;
  registry: CommandRegistry;
}

/** Lines of an answer; they are packed into as few 128-character team messages as fit. */
export type Answer = string | readonly string[];

export interface InGameCommand {
  name: string;
  aliases?: readonly string[];
  /** Argument syntax for help, e.g. "<text>". */
  usage?: string;
  summary: string;
  run(ctx: CommandContext): Promise<Answer>;
}

export type CommandResolver = (serverId: string, name: string) => Promise<InGameCommand | undefined>;

/** Command names are short words: anything else after the prefix is ordinary chat. */
export const COMMAND_NAME = /^[a-z0-9_-]{1,24}$/;

export class CommandRegistry {
  readonly #byName = new Map<string, InGameCommand>();
  readonly #commands: InGameCommand[] = [];
  readonly #resolvers: CommandResolver[] = [];

  add(...commands: InGameCommand[]): this {
    for (const command of commands) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        if (!COMMAND_NAME.test(name)) throw new Error(`not a command name: ${name}`);
        if (this.#byName.has(name)) throw new Error(`in-game command ${name} is registered twice`);
        this.#byName.set(name, command);
      }
      this.#commands.push(command);
    }
    return this;
  }

  /** Swaps a registered command for one of the same name and aliases (a feature extending a built-in one). */
  replace(command: InGameCommand): this {
    const index = this.#commands.findIndex((c) => c.name === command.name);
    const old = this.#commands[index];
    if (!old || String(old.aliases ?? []) !== String(command.aliases ?? [])) throw new Error(`in-game command ${command.name} is not registered with those aliases`);
    this.#commands[index] = command;
    for (const name of [command.name, ...(command.aliases ?? [])]) this.#byName.set(name, command);
    return this;
  }

  /** Per-server commands, asked after the built-in ones. */
  addResolver(resolver: CommandResolver): this {
    this.#resolvers.push(resolver);
    return this;
  }

  async resolve(serverId: string, name: string): Promise<InGameCommand | undefined> {
    const builtIn = this.#byName.get(name);
    if (builtIn) return builtIn;
    for (const resolver of this.#resolvers) {
      const found = await resolver(serverId, name);
      if (found) return found;
    }
    return undefined;
  }

  list(): readonly InGameCommand[] {
    return this.#commands;
  }
}
