// Which channels of a guild are bridged team-chat channels, and whose. With the message intents every
// message in every guild reaches the bot: this answers from memory for a while instead of asking the
// database each time (a /setup change is seen within TTL_MS).
import type { PrismaClient } from "../generated/prisma/client.ts";

const TTL_MS = 30_000;
const MAX_GUILDS = 10_000;

export class TeamChatChannels {
  readonly #guilds = new Map<string, { at: number; owners: Map<string, string[]> }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** The users whose notifications go to the guild whose /setup made this team-chat channel (none for any other channel). */
  async owners(guildId: string, channelId: string): Promise<string[]> {
    let entry = this.#guilds.get(guildId);
    if (!entry || this.now() - entry.at > TTL_MS) {
      const integration = await this.prisma.discordIntegration.findUnique({ where: { guildId }, select: { teamChatEnabled: true, teamChatChannelId: true } });
      const owners = new Map<string, string[]>();
      if (integration?.teamChatEnabled && integration.teamChatChannelId) {
        const users = await this.prisma.user.findMany({ where: { notificationGuildId: guildId }, select: { id: true } });
        owners.set(integration.teamChatChannelId, users.map((u) => u.id));
      }
      if (this.#guilds.size >= MAX_GUILDS) this.#guilds.clear();
      entry = { at: this.now(), owners };
      this.#guilds.set(guildId, entry);
    }
    return entry.owners.get(channelId) ?? [];
  }
}
