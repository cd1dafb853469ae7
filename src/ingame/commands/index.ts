// The commands every server answers; features add theirs to the registry at start (notes add !note).
import type { InGameCommand } from "../registry.ts";
import { help } from "./help.ts";
import { prefix } from "./prefix.ts";
import { pop, time, wipe } from "./server-info.ts";
import { leader, prox } from "./team-position.ts";
import { afk, alive, offline, online } from "./team-status.ts";

export const BUILT_IN_COMMANDS: readonly InGameCommand[] = [pop, time, wipe, online, offline, afk, alive, prox, leader, prefix, help];
