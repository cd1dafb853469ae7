// /server query-port: the owner of a paired server sets its Steam query port by hand when the bot cannot find
// it (a host that moved it with -queryport), or sends it back to being found ("auto"). A port set by hand is
// probed first and kept only when it answers as this server: the setting is shared by every team on it.
import type { BotContext } from "../../bot/types.ts";
import { plain } from "../../bot/plain-text.ts";
import type { User } from "../../generated/prisma/client.ts";
import { serverLabel } from "../../pairing/server-card.ts";
import { requireOwnedServer } from "../../sharing/server-access.ts";
import type { A2sAnswer } from "./a2s-client.ts";

const describe = (answer: A2sAnswer): string =>
  `**${plain(answer.name)}**, ${answer.players}/${answer.maxPlayers} players${answer.queuedPlayers ? ` (${answer.queuedPlayers} queued)` : ""}`;

/** Sets (1–65535) or resets ("auto") the query port of the user's server and says what the probe found. */
export async function setQueryPort(ctx: Pick<BotContext, "prisma" | "intel">, user: Pick<User, "id" | "steamId">, serverId: string, port: number | "auto"): Promise<string> {
  const server = await requireOwnedServer(ctx.prisma, user, serverId, { action: "set its query port", from: "option" });
  const name = `**${plain(serverLabel(server))}**`;
  const outcome = await ctx.intel.setQueryPort(server.ip, server.port, port);
  if (port === "auto") {
    return outcome.port !== null && outcome.answer
      ? `${name}: found its query port, ${outcome.port}. It answers as ${describe(outcome.answer)}.`
      : `${name}: no port near its Rust+ port (${server.port}) answered as this server. Set it by hand with \`/server query-port port:<number>\` (the server's \`+server.queryport\`, or ask its admin); the bot looks again every 10 minutes meanwhile.`;
  }
  if (outcome.stored && outcome.answer) return `${name}: query port set to ${port}. It answers as ${describe(outcome.answer)}.`;
  const kept = outcome.port !== null ? `The query port stays ${outcome.port}.` : "The bot keeps looking for it.";
  if (outcome.otherServer && outcome.answer) {
    return `${name}: port ${port} answers as another server (${describe(outcome.answer)}), so it was not set: every team on this server shares its player intel. ${kept}`;
  }
  return `${name}: port ${port} ${outcome.failure === "malformed" ? "sent an answer the bot could not read" : "did not answer within 3 seconds"}, so it was not set (every team on this server shares its player intel). ${kept} Check the port and try again while the server is up, or use \`port:auto\`.`;
}
