// note-clear:<pairedServerId> — the confirm button of /note clear without a category. Access is checked again
// on the press (a guest's grant may be gone, or they left the team).
import { Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import { requireLinkedUser } from "../../src/identity/linked-user.ts";
import { clearableServer, clearNotesFor } from "../../src/notes/note-actions.ts";

export const noteClearButton: ComponentHandler = {
  prefix: Prefix.noteClear,
  async execute(interaction, args, ctx) {
    const [serverId = ""] = args;
    if (!interaction.isButton() || !/^[a-z0-9]{1,40}$/.test(serverId)) throw new UserError("This button is not valid any more.");
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const deps = { prisma: ctx.prisma, config: ctx.config, rust: ctx.rust };
    const access = await clearableServer(deps, user, serverId);
    return { update: { content: await clearNotesFor(deps, access), components: [] } };
  },
};
