// A login that would take a Steam account from the Discord account holding it moves nothing by itself: the
// holder is asked in a DM (Confirm / Refuse buttons) and only their Confirm moves it. The request is a
// one-time token (LINK_CONFIRM, subject = the holder, the move in its payload), so the buttons work after a
// restart and an answer is spent once; the raw token rides in the buttons' custom ids, in the holder's DM only.
import { ButtonStyle, ComponentType } from "discord-api-types/v10";
import { z } from "zod";
import { customId, Prefix } from "../bot/custom-ids.ts";
import type { PrismaClient } from "../db/client.ts";
import { UserError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { DirectMessage } from "../notify/dm.ts";
import type { Notifier } from "../notify/notifier.ts";
import { discordAccountOfSteam, linkDiscordToSteam, SteamAccountOwned } from "./link-account.ts";
import { findLinkedUser } from "./linked-user.ts";
import { discordAccountLabel, linkedMessage, movedAwayMessage, refusedMessage, tell } from "./link-notices.ts";
import { LinkProfile } from "./link-profile.ts";
import { consumeOneTimeToken, createOneTimeToken, peekOneTimeToken } from "./one-time-tokens.ts";

export const LINK_CONFIRM_TTL_MS = 24 * 60 * 60_000;

const MoveRequest = z.object({
  steamId: z.string().regex(/^7656\d{13}$/),
  to: z.string().regex(/^\d{17,20}$/),
  toProfile: LinkProfile.nullable(),
  /** The Steam account `to` was linked to when asking (absent in requests made before this was recorded). */
  toSteamId: z.string().nullable().optional(),
});
type MoveRequest = z.infer<typeof MoveRequest>;

export interface LinkConfirmDeps {
  prisma: PrismaClient;
  notifier: Notifier | undefined;
  logger: Logger;
}

function requestMessage(request: MoveRequest, token: string): DirectMessage {
  return {
    content:
      `Someone signed in with your Steam account \`${request.steamId}\` to link it to the Discord account ${discordAccountLabel(request.to, request.toProfile)}.\n` +
      "**Confirm** moves the Steam account to that Discord account, with its servers, devices, credentials, subscription and credits; " +
      "yours will no longer be linked to it. **Refuse**, or doing nothing for 24 hours, leaves everything as it is. " +
      "If you did not expect this, refuse: someone may have tried to take your account.",
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Danger, label: "Confirm: move it", custom_id: customId(Prefix.linkConfirm, "confirm", token) },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: "Refuse", custom_id: customId(Prefix.linkConfirm, "refuse", token) },
        ],
      },
    ],
  };
}

/**
 * Asks the Discord account holding `steamId` to let it move to `to`. True when the request was delivered;
 * false when it could not be (DMs closed, no REST, Discord failed): the request is then withdrawn.
 */
export async function askToMove(deps: LinkConfirmDeps, input: { steamId: string; owner: string; to: string; toProfile: LinkProfile | null }): Promise<boolean> {
  const { prisma, notifier, logger } = deps;
  if (!notifier) return false;
  const toSteamId = (await findLinkedUser(prisma, input.to))?.steamId ?? null;
  const request: MoveRequest = { steamId: input.steamId, to: input.to, toProfile: input.toProfile, toSteamId };
  const { token } = await createOneTimeToken(prisma, { purpose: "LINK_CONFIRM", subject: input.owner, ttlMs: LINK_CONFIRM_TTL_MS, payload: request });
  const outcome = await notifier.directMessage(input.owner, requestMessage(request, token)).catch((err: unknown) => {
    logger.error({ err, discordUserId: input.owner }, "link move request could not be sent");
    return "failed" as const;
  });
  if (outcome === "sent") return true;
  await consumeOneTimeToken(prisma, "LINK_CONFIRM", token);
  logger.warn({ discordUserId: input.owner, outcome }, "link move request not delivered; withdrawn");
  return false;
}

/**
 * The holder's answer, pressed by `presser`: what their DM should now say.
 * @throws UserError when the request is unknown, expired, already answered, out of date, or not theirs.
 */
export async function answerMove(deps: LinkConfirmDeps, input: { token: string; choice: "confirm" | "refuse"; presser: string }): Promise<DirectMessage> {
  const { prisma, notifier, logger } = deps;
  const gone = "This request has expired or was already answered. Nothing changed.";
  const pending = await peekOneTimeToken(prisma, "LINK_CONFIRM", input.token);
  if (!pending) throw new UserError(gone);
  if (pending.subject !== input.presser) throw new UserError("Only the Discord account that holds this Steam account can answer this request.");
  const spent = await consumeOneTimeToken(prisma, "LINK_CONFIRM", input.token);
  const parsed = MoveRequest.safeParse(spent?.payload);
  if (!parsed.success) throw new UserError(gone);
  const request = parsed.data;
  if (input.choice === "refuse") {
    logger.info({ outcome: "refused", discordUserId: input.presser, steamId: request.steamId }, "steam link move");
    await tell(notifier, logger, request.to, refusedMessage(request.steamId), "move refused");
    return { content: `Refused. Steam account \`${request.steamId}\` stays linked to your Discord account.`, components: [] };
  }
  // Checked again in the moving transaction (movingFrom); this gives the clearer message.
  if ((await discordAccountOfSteam(prisma, request.steamId)) !== input.presser) {
    throw new UserError(`Steam account \`${request.steamId}\` is no longer linked to your Discord account, so there is nothing to move.`);
  }
  // The asker may have linked another Steam account since: that later choice stands, a day-old request does not replace it.
  const askerNow = (await findLinkedUser(prisma, request.to))?.steamId ?? null;
  if (request.toSteamId !== undefined && askerNow !== null && askerNow !== request.toSteamId) {
    logger.info({ outcome: "out of date", discordUserId: request.to, steamId: request.steamId }, "steam link move");
    throw new UserError(
      `${discordAccountLabel(request.to, request.toProfile)} has linked another Steam account since asking, so this request is out of date. ` +
        `Nothing changed: Steam account \`${request.steamId}\` stays linked to your Discord account.`,
    );
  }
  let linked;
  try {
    // A move never creates the User: the Steam account is linked to the presser (checked above and again
    // inside), and unlinking removes only the Account, so there is nothing to grant.
    linked = await linkDiscordToSteam(prisma, { steamId: request.steamId, discordUserId: request.to, movingFrom: input.presser, initialCredits: 0 });
  } catch (error) {
    if (error instanceof SteamAccountOwned) throw new UserError(`Steam account \`${request.steamId}\` is no longer linked to your Discord account, so there is nothing to move.`);
    throw error;
  }
  logger.info({ outcome: "moved", from: input.presser, discordUserId: request.to, steamId: request.steamId, replacedSteamId: linked.previousSteamId }, "steam link move");
  await tell(notifier, logger, request.to, linkedMessage({ steamId: request.steamId, previousSteamId: linked.previousSteamId, movedFrom: input.presser }), "linked");
  return { ...movedAwayMessage(request), components: [] };
}
