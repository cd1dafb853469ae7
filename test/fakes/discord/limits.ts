// Discord's documented size limits on what a bot sends, checked as the real API checks them: every broken
// rule of one request is reported together as 400 {code: 50035, message: "Invalid Form Body", errors: {…}},
// the errors nested by field path ("embeds.0.title" → errors.embeds["0"].title._errors).
// Sources: Discord's docs (Message resource "Embed Limits": title 256, description 4096, 25 fields of
// 256/1024, footer 2048, author 256, 6,000 over all embeds of a message; Create Message: content 2000,
// 10 embeds; Components reference: 5 action rows, 5 buttons a row, label 80, custom_id 100, select options
// 25 of 100, placeholder 150, text input label 45, value 4000, placeholder 100; Interaction response: modal
// title 45, autocomplete ≤ 25 choices; Application commands: choice name and string value 1–100).
// The error shape with MAX_EMBED_SIZE_EXCEEDED as real bots have logged it: github.com/NelsonDane/auto-rsa
// pull 451. Discord counts code points (twilight-validate: "the number of codepoints"), so the fake does too.
import { ComponentType, RESTJSONErrorCodes as E } from "discord-api-types/v10";
import { RestError } from "./errors.ts";

type Json = Record<string, unknown>;
const chars = (s: string): number => [...s].length;
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asObject = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});

/** Collects field errors; `throwIfAny` raises them as one Invalid Form Body. */
export class FormErrors {
  readonly #errors: Json = {};
  #count = 0;

  add(path: string, code: string, message: string): void {
    let node = this.#errors;
    for (const key of path.split(".")) node = (node[key] ??= {}) as Json;
    ((node._errors ??= []) as unknown[]).push({ code, message });
    this.#count++;
  }

  /** A string of `min`..`max` code points when present (`required`: must be present). */
  text(path: string, value: unknown, max: number, options: { min?: number; required?: boolean } = {}): void {
    if (value === undefined || value === null) {
      if (options.required) this.add(path, "BASE_TYPE_REQUIRED", "This field is required");
      return;
    }
    if (typeof value !== "string") return this.add(path, "BASE_TYPE_BAD_TYPE", "Must be a string.");
    const min = options.min ?? 0;
    if (min > 0 && (chars(value) < min || chars(value) > max)) this.add(path, "BASE_TYPE_BAD_LENGTH", `Must be between ${min} and ${max} in length.`);
    else if (chars(value) > max) this.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
  }

  list(path: string, value: unknown, max: number, min = 0): void {
    const n = asArray(value).length;
    if (value === undefined) return;
    if (n > max) this.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
    else if (n < min) this.add(path, "BASE_TYPE_MIN_LENGTH", `Must be ${min} or more in length.`);
  }

  throwIfAny(): void {
    if (this.#count) throw new RestError(400, { message: "Invalid Form Body", code: E.InvalidFormBodyOrContentType, errors: this.#errors });
  }
}

function checkEmbeds(errors: FormErrors, embeds: unknown): void {
  errors.list("embeds", embeds, 10);
  let total = 0;
  for (const [i, raw] of asArray(embeds).entries()) {
    const e = asObject(raw);
    const at = `embeds.${i}`;
    errors.text(`${at}.title`, e.title, 256);
    errors.text(`${at}.description`, e.description, 4096);
    errors.text(`${at}.footer.text`, asObject(e.footer).text, 2048);
    errors.text(`${at}.author.name`, asObject(e.author).name, 256);
    errors.list(`${at}.fields`, e.fields, 25);
    for (const [j, f] of asArray(e.fields).entries()) {
      const field = asObject(f);
      errors.text(`${at}.fields.${j}.name`, field.name, 256, { min: 1, required: true });
      errors.text(`${at}.fields.${j}.value`, field.value, 1024, { min: 1, required: true });
      total += chars(String(field.name ?? "")) + chars(String(field.value ?? ""));
    }
    for (const s of [e.title, e.description, asObject(e.footer).text, asObject(e.author).name]) total += typeof s === "string" ? chars(s) : 0;
  }
  if (total > 6000) errors.add("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
}

function checkComponents(errors: FormErrors, components: unknown): void {
  errors.list("components", components, 5);
  const ids = new Set<string>();
  for (const [i, raw] of asArray(components).entries()) {
    const row = asObject(raw);
    if (row.type !== ComponentType.ActionRow) continue; // other top-level layouts are not checked here
    errors.list(`components.${i}.components`, row.components, 5, 1);
    for (const [j, c] of asArray(row.components).entries()) {
      const at = `components.${i}.components.${j}`;
      const component = asObject(c);
      if (component.custom_id !== undefined) {
        errors.text(`${at}.custom_id`, component.custom_id, 100, { min: 1 });
        if (ids.has(String(component.custom_id))) errors.add(`${at}.custom_id`, "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated");
        ids.add(String(component.custom_id));
      }
      if (component.type === ComponentType.Button) errors.text(`${at}.label`, component.label, 80);
      if (component.type === ComponentType.StringSelect) {
        errors.text(`${at}.placeholder`, component.placeholder, 150);
        errors.list(`${at}.options`, component.options, 25, 1);
        for (const [k, o] of asArray(component.options).entries()) {
          const option = asObject(o);
          errors.text(`${at}.options.${k}.label`, option.label, 100, { min: 1, required: true });
          errors.text(`${at}.options.${k}.value`, option.value, 100, { min: 1, required: true });
          errors.text(`${at}.options.${k}.description`, option.description, 100);
        }
      }
    }
  }
}

/** A message body: a new message, an edit, an interaction reply, update or follow-up. */
export function checkMessage(body: unknown): void {
  const b = asObject(body);
  const errors = new FormErrors();
  errors.text("content", b.content, 2000);
  checkEmbeds(errors, b.embeds);
  checkComponents(errors, b.components);
  if (b.nonce !== undefined && String(b.nonce).length > 25) errors.add("nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  errors.throwIfAny();
}

/** The data of an APPLICATION_COMMAND_AUTOCOMPLETE_RESULT (callback type 8). */
export function checkChoices(data: unknown): void {
  const errors = new FormErrors();
  const choices = asObject(data).choices;
  errors.list("data.choices", choices, 25);
  for (const [i, raw] of asArray(choices).entries()) {
    const choice = asObject(raw);
    errors.text(`data.choices.${i}.name`, choice.name, 100, { min: 1, required: true });
    if (typeof choice.value === "string") errors.text(`data.choices.${i}.value`, choice.value, 100, { min: 1 });
  }
  errors.throwIfAny();
}

/** The data of a MODAL callback (type 9). */
export function checkModal(data: unknown): void {
  const errors = new FormErrors();
  const d = asObject(data);
  errors.text("data.title", d.title, 45, { min: 1, required: true });
  errors.text("data.custom_id", d.custom_id, 100, { min: 1, required: true });
  errors.list("data.components", d.components, 5, 1);
  for (const [i, raw] of asArray(d.components).entries()) {
    for (const [j, c] of asArray(asObject(raw).components).entries()) {
      const at = `data.components.${i}.components.${j}`;
      const input = asObject(c);
      errors.text(`${at}.custom_id`, input.custom_id, 100, { min: 1, required: true });
      errors.text(`${at}.label`, input.label, 45);
      errors.text(`${at}.placeholder`, input.placeholder, 100);
      errors.text(`${at}.value`, input.value, 4000);
    }
  }
  errors.throwIfAny();
}

/** Options of a command being registered: ≤ 25 a level, descriptions 1–100, ≤ 25 choices of 1–100. */
export function checkCommandOptions(errors: FormErrors, path: string, options: unknown): void {
  errors.list(`${path}.options`, options, 25);
  for (const [i, raw] of asArray(options).entries()) {
    const option = asObject(raw);
    const at = `${path}.options.${i}`;
    errors.text(`${at}.description`, option.description, 100, { min: 1, required: true });
    errors.list(`${at}.choices`, option.choices, 25);
    for (const [j, c] of asArray(option.choices).entries()) {
      const choice = asObject(c);
      errors.text(`${at}.choices.${j}.name`, choice.name, 100, { min: 1, required: true });
      if (typeof choice.value === "string") errors.text(`${at}.choices.${j}.value`, choice.value, 100, { min: 1 });
    }
    if (option.options !== undefined) checkCommandOptions(errors, at, option.options);
  }
}
