// Every slash command and component handler the bot has.
import type { ComponentHandler, SlashCommand } from "../src/bot/types.ts";
import { familyButton } from "./components/family.ts";
import { setupRemoveModal } from "./components/setup-remove.ts";
import { help } from "./help.ts";
import { ping } from "./ping.ts";
import { setup } from "./setup.ts";

export const commands: readonly SlashCommand[] = [help, ping, setup];
export const components: readonly ComponentHandler[] = [familyButton, setupRemoveModal];
