// Every slash command and component handler the bot has.
import type { ComponentHandler, SlashCommand } from "../src/bot/types.ts";
import { credentialsForm } from "./components/credentials.ts";
import { deviceButton } from "./components/device.ts";
import { familyButton } from "./components/family.ts";
import { serverButton } from "./components/server.ts";
import { setupRemoveModal } from "./components/setup-remove.ts";
import { account } from "./account.ts";
import { admin } from "./admin.ts";
import { alarmCommand } from "./alarm.ts";
import { billing } from "./billing.ts";
import { credentials } from "./credentials.ts";
import { craft } from "./craft.ts";
import { credits } from "./credits.ts";
import { deviceCommand } from "./device.ts";
import { eventsCommand } from "./events.ts";
import { faq } from "./faq.ts";
import { help } from "./help.ts";
import { link } from "./link.ts";
import { ping } from "./ping.ts";
import { raid } from "./raid.ts";
import { serverCommand } from "./server.ts";
import { setup } from "./setup.ts";
import { share } from "./share.ts";
import { subscribe } from "./subscribe.ts";
import { unlink } from "./unlink.ts";

export const commands: readonly SlashCommand[] = [account, admin, alarmCommand, billing, credentials, craft, credits, deviceCommand, eventsCommand, faq, help, link, ping, raid, serverCommand, setup, share, subscribe, unlink];
export const components: readonly ComponentHandler[] = [credentialsForm, deviceButton, familyButton, serverButton, setupRemoveModal];
