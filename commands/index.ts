// Every slash command and component handler the bot has.
import type { ComponentHandler, SlashCommand } from "../src/bot/types.ts";
import { familyButton } from "./components/family.ts";
import { setupRemoveModal } from "./components/setup-remove.ts";
import { account } from "./account.ts";
import { admin } from "./admin.ts";
import { help } from "./help.ts";
import { link } from "./link.ts";
import { ping } from "./ping.ts";
import { setup } from "./setup.ts";
import { share } from "./share.ts";
import { unlink } from "./unlink.ts";

export const commands: readonly SlashCommand[] = [account, admin, help, link, ping, setup, share, unlink];
export const components: readonly ComponentHandler[] = [familyButton, setupRemoveModal];
