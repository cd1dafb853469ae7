// Slash command options → a plain object → zod. Discord already checks types; zod checks meaning
// (ranges, formats, combinations) and turns problems into sentences for the user.
import type { ChatInputCommandInteraction, CommandInteractionOption } from "discord.js";
import type { z } from "zod";
import { UserError } from "../errors.ts";

export interface OptionValues {
  subcommand?: string;
  group?: string;
  [name: string]: string | number | boolean | undefined;
}

export function optionValues(options: readonly CommandInteractionOption[]): OptionValues {
  const values: OptionValues = {};
  for (const option of options) {
    if (option.type === 1) {
      values.subcommand = option.name;
      Object.assign(values, optionValues(option.options ?? []));
    } else if (option.type === 2) {
      values.group = option.name;
      Object.assign(values, optionValues(option.options ?? []));
    } else if (option.value !== undefined) {
      values[option.name] = option.value;
    }
  }
  return values;
}

export function parseOptions<T extends z.ZodType>(interaction: ChatInputCommandInteraction, schema: T): z.infer<T> {
  const result = schema.safeParse(optionValues(interaction.options.data));
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) =>
    issue.path.length ? `\`${issue.path.join(".")}\`: ${issue.message}` : issue.message,
  );
  throw new UserError(lines.join("\n"));
}
