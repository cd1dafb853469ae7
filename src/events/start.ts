// Wires map events, deaths and logins to the connection manager: a session per ready connection, ended by
// any state change, and team changes from broadcasts.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { ServerEvents, type ServerEventsOptions } from "./server-events.ts";

export function startServerEvents(rust: ConnectionManager, prisma: PrismaClient, notifier: Notifier, logger: Logger, options: ServerEventsOptions = {}): ServerEvents {
  const events = new ServerEvents(rust, prisma, notifier, logger, options);
  rust.onReady((serverId, connection) => {
    events.ready(serverId, connection);
    return Promise.resolve();
  });
  rust.on("state", (serverId, state) => events.stateChanged(serverId, state.kind));
  rust.on("broadcast", (serverId, broadcast) => {
    if (broadcast.teamChanged) events.teamState(serverId, broadcast.teamChanged.teamInfo?.members);
  });
  return events;
}
