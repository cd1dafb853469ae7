// Sending into a server's team chat: within the rate budget (sendTeamMessage costs 2), remembered first so
// the echo that can come back before the answer is recognised.
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { Priority } from "../rustplus/rate-budget.ts";
import { TEAM_CHAT_LIMIT } from "./chat-text.ts";
import type { RecentlySent } from "./recent-sent.ts";

export class TeamChatSender {
  constructor(
    private readonly rust: ConnectionManager,
    readonly sent: RecentlySent,
  ) {}

  /** Sends the messages in order; stops at the first failure and rethrows it (RustPlusError `message_not_sent`…). */
  async send(serverId: string, messages: readonly string[], priority: Priority = "user"): Promise<void> {
    for (const message of messages) {
      if (message.length > TEAM_CHAT_LIMIT) throw new Error("a team chat message over the game's limit");
      this.sent.remember(serverId, message);
      try {
        await this.rust.request(serverId, { sendTeamMessage: { message } }, priority);
      } catch (err) {
        this.sent.forget(serverId, message);
        throw err;
      }
    }
  }
}
