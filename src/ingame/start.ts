// Team chat bridge and in-game commands for every connected server: teamMessage broadcasts (and, on each
// connect, the chat said while away) go to Discord and to the command runner, the team-chat channel goes to the
// game, and the team is watched for !afk.
import { Events, type Client } from "discord.js";
import { forwardToGame } from "../chat/bridge-out.ts";
import { TeamChatChannels } from "../chat/team-chat-channels.ts";
import { TeamChatLog } from "../chat/team-chat-log.ts";
import type { MonumentAt } from "../events/monuments.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { realTimers, type Timers } from "../rustplus/timers.ts";
import { AfkTracker } from "./afk-tracker.ts";
import { CommandRunner } from "./command-runner.ts";
import { BUILT_IN_COMMANDS } from "./commands/index.ts";
import { RecentlySent, SeenLines } from "./recent-sent.ts";
import { CommandRegistry } from "./registry.ts";
import { parseTeam } from "./team.ts";
import { TeamChatSender } from "./team-chat-sender.ts";
import { onTeamMessage } from "./team-messages.ts";
import { WorkSet } from "../work-set.ts";

/** Positions for !afk: teamChanged does not come for movement, so the team is read this often. */
export const TEAM_POLL_MS = 60_000;

export interface InGameOptions {
  /** The clock for ages, wipe times and AFK (tests share one with the fake server). */
  now?: () => number;
  timers?: Timers;
  teamPollMs?: number;
}

export interface InGame {
  /** Where features add their commands (!cargo, device commands). */
  registry: CommandRegistry;
  /** Resolves when every message and command started so far is handled (tests wait on it). */
  settled(): Promise<void>;
  stop(): void;
}

export interface InGameDeps {
  client: Client;
  prisma: PrismaClient;
  rust: ConnectionManager;
  notifier: Notifier;
  logger: Logger;
  /** A server's monuments as last read (the map events' reading); none when not given. */
  monuments?: (serverId: string) => readonly MonumentAt[];
}

export function startInGame(deps: InGameDeps, options: InGameOptions = {}): InGame {
  const { client, prisma, rust, notifier } = deps;
  const monuments = deps.monuments ?? (() => []);
  const logger = deps.logger.child({ component: "ingame" });
  const now = options.now ?? Date.now;
  const timers = options.timers ?? realTimers;
  const sent = new RecentlySent(now);
  const seen = new SeenLines(now);
  const sender = new TeamChatSender(rust, sent);
  const afk = new AfkTracker(now);
  const registry = new CommandRegistry().add(...BUILT_IN_COMMANDS);
  const runner = new CommandRunner({ prisma, rust, sender, afk, registry, logger, now });
  const work = new WorkSet((err) => logger.error({ err }, "in-game work failed"));
  const track = (promise: Promise<unknown> | null, what: string) => {
    if (promise) void work.track(promise.catch((err: unknown) => logger.error({ err }, what)));
  };

  const chatLog = new TeamChatLog({ prisma, rust, notifier, sent, logger, now, track: (p) => track(p, "reading the team chat history failed") });
  rust.on("broadcast", (serverId, broadcast) => {
    if (broadcast.teamMessage) track(onTeamMessage({ prisma, rust, runner, sent, seen, chatLog, logger, now, monuments }, serverId, broadcast.teamMessage.message), "handling a team message failed");
    const team = broadcast.teamChanged && parseTeam(broadcast.teamChanged.teamInfo);
    if (team) afk.observe(serverId, team.members);
  });
  const connected = new Set<string>();
  rust.on("state", (serverId, state) => {
    chatLog.onState(serverId, state);
    if (state.kind === "connected") connected.add(serverId);
    else connected.delete(serverId);
    if (state.kind === "stopped" || state.kind === "rejected") afk.forget(serverId);
  });
  const channels = new TeamChatChannels(prisma);
  client.on(Events.MessageCreate, (message) => {
    // The bridge's own posts and other bots: settled here, before any database work.
    if (message.author.bot || message.webhookId) return;
    track(forwardToGame({ prisma, channels, rust, sender, logger }, message), "forwarding a Discord message failed");
  });

  // A slow background read of each connected team keeps !afk's positions current.
  let timer: unknown;
  let stopped = false;
  const poll = () => {
    for (const serverId of connected) {
      track(
        rust.request(serverId, { getTeamInfo: {} }, "background").then((r) => {
          const team = parseTeam(r.teamInfo);
          if (team) afk.observe(serverId, team.members);
        }, (err: unknown) => logger.debug({ err, serverId }, "reading the team for AFK failed")),
        "reading the team failed",
      );
    }
    if (!stopped) timer = timers.setTimeout(poll, options.teamPollMs ?? TEAM_POLL_MS);
  };
  timer = timers.setTimeout(poll, options.teamPollMs ?? TEAM_POLL_MS);

  return {
    registry,
    async settled() {
      await work.idle();
    },
    stop() {
      stopped = true;
      timers.clearTimeout(timer);
    },
  };
}
