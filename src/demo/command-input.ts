// A slash command as the page's command box fills it in, checked against the command the bot registered, the
// way Discord's client checks it before sending: the subcommand path exists, every option is declared, values
// have the declared type, choices and bounds are kept, required options are there.
import {
  ApplicationCommandOptionType as Option, ApplicationCommandType,
  type APIApplicationCommandBasicOption, type APIApplicationCommandOption, type RESTPutAPIApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import type { OptionValue } from "../../test/fakes/discord/index.ts";
import { badInput } from "./playground-errors.ts";

export type CommandBody = RESTPutAPIApplicationCommandsJSONBody[number];
/** What the page sends: an option's value as typed (strings from text fields), or already typed. */
export type RawValue = string | number | boolean;

export interface CheckedCommand {
  name: string;
  /** "sub" or "group sub", as the fake's sendCommand takes it. */
  subcommand?: string;
  /** Each value with its declared type, so the interaction carries it as Discord would. */
  options: Record<string, OptionValue>;
  /** The declared leaf options (for autocomplete: which one is focused). */
  declared: APIApplicationCommandBasicOption[];
}

const SNOWFLAKE = /^\d{5,20}$/;

/** The chat-input command `name` among `commands` with its leaf options at `subcommand`; 400 when either is unknown. */
export function findCommand(commands: readonly CommandBody[], name: string, subcommand: string | undefined): { command: CommandBody; declared: APIApplicationCommandBasicOption[] } {
  const command = commands.find((c) => c.name === name && (c.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput);
  if (!command) throw badInput(`There is no command /${name}.`);
  let level: APIApplicationCommandOption[] = ("options" in command ? command.options : undefined) ?? [];
  for (const part of subcommand?.split(" ") ?? []) {
    const next = level.find((o) => o.name === part && (o.type === Option.Subcommand || o.type === Option.SubcommandGroup));
    if (!next) throw badInput(`/${name} has no subcommand ${subcommand ?? ""}.`);
    level = ("options" in next ? next.options : undefined) ?? [];
  }
  if (level.some((o) => o.type === Option.Subcommand || o.type === Option.SubcommandGroup)) {
    throw badInput(`Choose a subcommand of /${[name, subcommand].filter(Boolean).join(" ")}: ${level.map((o) => o.name).join(", ")}.`);
  }
  return { command, declared: level as APIApplicationCommandBasicOption[] };
}

/** One option's value in its declared type; throws a 400 naming the option when it does not fit. */
export function coerceOption(option: APIApplicationCommandBasicOption, raw: RawValue): OptionValue {
  const fail = (why: string) => badInput(`Option ${option.name}: ${why}.`);
  switch (option.type) {
    case Option.String: {
      const value = String(raw);
      if (option.min_length !== undefined && value.length < option.min_length) throw fail(`at least ${option.min_length} characters`);
      if (option.max_length !== undefined && value.length > option.max_length) throw fail(`at most ${option.max_length} characters`);
      if (option.choices && !option.choices.some((c) => c.value === value)) throw fail(`one of ${option.choices.map((c) => c.name).join(", ")}`);
      return { type: Option.String, value };
    }
    case Option.Integer:
    case Option.Number: {
      const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
      if (!Number.isFinite(value)) throw fail("a number");
      if (option.type === Option.Integer && !Number.isSafeInteger(value)) throw fail("a whole number");
      if (option.min_value !== undefined && value < option.min_value) throw fail(`at least ${option.min_value}`);
      if (option.max_value !== undefined && value > option.max_value) throw fail(`at most ${option.max_value}`);
      if (option.choices && !option.choices.some((c) => c.value === value)) throw fail(`one of ${option.choices.map((c) => c.name).join(", ")}`);
      return { type: option.type, value };
    }
    case Option.Boolean: {
      if (raw === true || raw === "true") return { type: Option.Boolean, value: true };
      if (raw === false || raw === "false") return { type: Option.Boolean, value: false };
      throw fail("true or false");
    }
    case Option.User:
    case Option.Channel:
    case Option.Role:
    case Option.Mentionable: {
      const value = String(raw);
      if (!SNOWFLAKE.test(value)) throw fail("pick one from the list");
      return { type: option.type, value };
    }
    case Option.Attachment:
      throw fail("attachments cannot be uploaded in the playground");
  }
}

/** The command as Discord's client would send it; 400 for anything it would not let through. */
export function checkCommand(
  commands: readonly CommandBody[], input: { name: string; subcommand?: string | undefined; options?: Record<string, RawValue> | undefined },
): CheckedCommand {
  const { declared } = findCommand(commands, input.name, input.subcommand);
  const options: Record<string, OptionValue> = {};
  for (const [name, raw] of Object.entries(input.options ?? {})) {
    const option = declared.find((o) => o.name === name);
    if (!option) throw badInput(`/${input.name} has no option ${name}.`);
    if (raw === "") continue; // an empty field is an option left out
    options[name] = coerceOption(option, raw);
  }
  const missing = declared.filter((o) => o.required && !(o.name in options)).map((o) => o.name);
  if (missing.length > 0) throw badInput(`Fill in the required option${missing.length > 1 ? "s" : ""} ${missing.join(", ")}.`);
  return { name: input.name, ...(input.subcommand ? { subcommand: input.subcommand } : {}), options, declared };
}

/**
 * An autocomplete request: `focused` must be an autocomplete option and goes as typed (a partial value, as
 * Discord sends it); the other options go when they are valid and are left out when not (still being typed).
 */
export function checkAutocomplete(
  commands: readonly CommandBody[], input: { name: string; subcommand?: string | undefined; options: Record<string, RawValue>; focused: string },
): CheckedCommand {
  const { declared } = findCommand(commands, input.name, input.subcommand);
  const focused = declared.find((o) => o.name === input.focused);
  if (!focused || !("autocomplete" in focused) || focused.autocomplete !== true) throw badInput(`Option ${input.focused} of /${input.name} has no suggestions.`);
  const options: Record<string, OptionValue> = { [focused.name]: { type: focused.type, value: String(input.options[focused.name] ?? "") } };
  for (const [name, raw] of Object.entries(input.options)) {
    const option = declared.find((o) => o.name === name);
    if (!option || name === focused.name || raw === "") continue;
    try {
      options[name] = coerceOption(option, raw);
    } catch {
      // not valid yet: Discord's client leaves it out too
    }
  }
  return { name: input.name, ...(input.subcommand ? { subcommand: input.subcommand } : {}), options, declared };
}
