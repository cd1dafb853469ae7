// The push channel's state as /credentials status says it: up (since when, the last frame from Google, the
// last answered heartbeat) or reconnecting and why, and how often it had to reconnect.
import { time } from "discord.js";
import type { PushListener } from "./push-listener.ts";

/** One line for `userId`'s channel in this process, e.g. "Push channel: reconnecting (no heartbeat ack) since <t:…:R>". */
export function channelStatusLine(pushes: Pick<PushListener, "channelState">, userId: string): string {
  const channel = pushes.channelState(userId);
  if (!channel) return "Push channel: not running in this bot process";
  const { health, state } = channel;
  if (!state) return health.connected ? `Push channel: connected since ${time(health.since, "R")}` : `Push channel: down since ${time(health.since, "R")}`;
  const reconnects = `${state.reconnects} reconnect${state.reconnects === 1 ? "" : "s"}`;
  if (state.down) return `Push channel: reconnecting (${state.down.reason}) since ${time(state.down.since, "R")}; ${reconnects} so far`;
  if (!state.connectedSince) return "Push channel: connecting";
  const parts = [`connected since ${time(state.connectedSince, "R")}`];
  if (state.lastMessageAt) parts.push(`last message from Google ${time(state.lastMessageAt, "R")}`);
  parts.push(`last heartbeat answered ${state.lastHeartbeatAckAt ? time(state.lastHeartbeatAckAt, "R") : "not yet"}`);
  return `Push channel: ${parts.join(", ")}; ${reconnects}`;
}
