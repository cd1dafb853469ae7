// Every payload the bot sends to Discord passes through here on its way out, so outside text (server names,
// alarm titles, device names, whatever a player typed) is cut to Discord's documented limits instead of
// the whole request being refused with 400 Invalid Form Body. Text is cut with fitText (grapheme-safe).
// Ids the bot builds itself (custom ids, choice values) are never cut: a cut id would point at nothing, so
// such a component or choice is left out and the caller's bug shows in tests against the fake Discord.
// Limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
// .../interactions/application-commands (choices), .../components/reference (buttons, selects, text inputs).
import type {
  APIActionRowComponent, APIApplicationCommandOptionChoice, APIComponentInMessageActionRow, APIEmbed,
  APIModalInteractionResponseCallbackData, APISelectMenuOption,
} from "discord-api-types/v10";
import { fitText } from "./fit-text.ts";

export const LIMITS = {
  content: 2_000,
  embedsPerMessage: 10,
  /** Title, description, field names and values, footer text and author name of all embeds together. */
  embedCharsPerMessage: 6_000,
  title: 256,
  description: 4_096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
  authorName: 256,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
  actionRows: 5,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
  modalTitle: 45,
  textInputLabel: 45,
  textInputValue: 4_000,
  textInputPlaceholder: 100,
} as const;

/** Characters Discord counts against its 6,000-per-message embed budget. */
export function embedSize(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** One embed within the per-embed limits (fields past 25 are dropped, a blank field name or value becomes a dash). */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (embed.title !== undefined) out.title = fitText(embed.title, LIMITS.title);
  if (embed.description !== undefined) out.description = fitText(embed.description, LIMITS.description);
  if (embed.footer) out.footer = { ...embed.footer, text: fitText(embed.footer.text, LIMITS.footer) };
  if (embed.author) out.author = { ...embed.author, name: fitText(embed.author.name, LIMITS.authorName) };
  if (embed.fields) {
    out.fields = embed.fields.slice(0, LIMITS.fields).map((f) => ({
      ...f,
      name: fitText(f.name.trim() || "—", LIMITS.fieldName),
      value: fitText(f.value.trim() || "—", LIMITS.fieldValue),
    }));
  }
  return out;
}

/** At most 10 embeds, each within its limits and all within 6,000 characters (later text is cut first). */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, LIMITS.embedsPerMessage).map(fitEmbed);
  let over = fitted.reduce((n, e) => n + embedSize(e), 0) - LIMITS.embedCharsPerMessage;
  // Shrink from the last embed back: descriptions, then field values, then fields themselves.
  for (let i = fitted.length - 1; i >= 0 && over > 0; i--) {
    const e = fitted[i]!;
    const before = embedSize(e);
    if (e.description) e.description = fitText(e.description, Math.max(1, e.description.length - over));
    for (let j = (e.fields?.length ?? 0) - 1; j >= 0 && before - embedSize(e) < over; j--) {
      const f = e.fields![j]!;
      const need = over - (before - embedSize(e));
      if (f.value.length - need >= 16) f.value = fitText(f.value, f.value.length - need);
      else e.fields!.splice(j, 1);
    }
    if (before - embedSize(e) < over && e.title) e.title = fitText(e.title, Math.max(1, e.title.length - (over - (before - embedSize(e)))));
    over -= before - embedSize(e);
  }
  return fitted;
}

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** Up to 5 rows; labels and select texts cut; buttons or selects whose custom id is too long left out. */
export function fitComponents(rows: readonly Row[]): Row[] {
  return rows.slice(0, LIMITS.actionRows).map((row) => ({
    ...row,
    components: row.components.flatMap((c): APIComponentInMessageActionRow[] => {
      if ("custom_id" in c && c.custom_id.length > LIMITS.customId) return [];
      const fitted = { ...c } as APIComponentInMessageActionRow & { label?: string; placeholder?: string; options?: APISelectMenuOption[] };
      if (typeof fitted.label === "string") fitted.label = fitText(fitted.label, LIMITS.buttonLabel);
      if (typeof fitted.placeholder === "string") fitted.placeholder = fitText(fitted.placeholder, LIMITS.selectPlaceholder);
      if (fitted.options) fitted.options = fitOptions(fitted.options);
      return [fitted];
    }),
  })).filter((row) => row.components.length > 0);
}

function fitOptions(options: readonly APISelectMenuOption[]): APISelectMenuOption[] {
  return options
    .filter((o) => o.value.length <= LIMITS.selectOptionText)
    .slice(0, LIMITS.selectOptions)
    .map((o) => ({
      ...o,
      label: fitText(o.label, LIMITS.selectOptionText),
      ...(o.description !== undefined && { description: fitText(o.description, LIMITS.selectOptionText) }),
    }));
}

/** A message body (new, edited, reply or follow-up) within Discord's limits. */
export function fitMessage<T extends { content?: string | null; embeds?: APIEmbed[] | null; components?: Row[] | null }>(body: T): T {
  const out = { ...body };
  if (typeof body.content === "string") out.content = fitText(body.content, LIMITS.content);
  if (body.embeds) out.embeds = fitEmbeds(body.embeds);
  if (body.components) out.components = fitComponents(body.components);
  return out;
}

/** Autocomplete choices: at most 25, names cut to 100; a choice whose value is over 100 is left out. */
export function fitChoices<T extends Pick<APIApplicationCommandOptionChoice, "name" | "value">>(choices: readonly T[]): T[] {
  return choices
    .filter((c) => typeof c.value !== "string" || c.value.length <= LIMITS.choiceValue)
    .slice(0, LIMITS.choices)
    .map((c) => ({ ...c, name: fitText(c.name.trim() || String(c.value), LIMITS.choiceName) }));
}

/** A modal within its limits: title 45, text input labels 45, placeholders 100, prefilled values 4,000. */
export function fitModal(modal: APIModalInteractionResponseCallbackData): APIModalInteractionResponseCallbackData {
  return {
    ...modal,
    title: fitText(modal.title, LIMITS.modalTitle),
    components: modal.components.map((row) => {
      if (!("components" in row)) return row;
      return {
        ...row,
        components: row.components.map((input) => {
          const c = { ...input } as typeof input & { label?: string; placeholder?: string; value?: string };
          if (typeof c.label === "string") c.label = fitText(c.label, LIMITS.textInputLabel);
          if (typeof c.placeholder === "string") c.placeholder = fitText(c.placeholder, LIMITS.textInputPlaceholder);
          if (typeof c.value === "string") c.value = fitText(c.value, LIMITS.textInputValue);
          return c;
        }),
      } as typeof row;
    }),
  };
}
