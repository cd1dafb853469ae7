// Sending into a server's team chat: within the rate budget (sendTeamMessage costs 2), remembered first so
// the echo that can come back before the answer is recognised.
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { Priority } from "../rustplus/rate-budget.ts";
import { RustPlusUnavailable } from "../rustplus/rust-errors.ts";
import { TEAM_CHAT_LIMIT } from "./chat-text.ts";
import type { RecentlySent } from "./recent-sent.ts";

export class TeamChatSender {
  constructor(
    private readonly rust: ConnectionManager,
    readonly sent: RecentlySent,
  ) {}

  /** Sends the messages in order; stops at the first failure and rethrows it (RustPlusError `message_not_sent`…). */
  async send(serverId: string, messages: readonly string[], priority: Priority = "user"): Promise<void> {
    const target = this.rust.get(serverId)?.target;
    if (!target) throw new RustPlusUnavailable("the bot is not connected to this server");
    const address = `${target.ip}:${target.port}`;
    for (const message of messages) {
      if (message.length > TEAM_CHAT_LIMIT) throw new Error("a team chat message over the game's limit");
      this.sent.remember(address, target.playerId, message);
      try {
        await this.rust.request(serverId, { sendTeamMessage: { message } }, priority);
      } catch (err) {
        this.sent.forget(address, target.playerId, message);
        throw err;
      }
    }
  }
}
