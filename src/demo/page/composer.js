// The command box at the bottom of the chat, as Discord's: type "/" to list the bot's commands (each subcommand
// its own line), pick one, fill in its options (menus for choices, the bot's suggestions for autocomplete
// options), and send; anything else is a plain message in the channel. Also the modal forms the bot opens.
import { ApiError, h, post, toast } from "./dom.js";

const SUBCOMMAND = 1;
const GROUP = 2;
const TYPE_NAMES = { 3: "text", 4: "whole number", 5: "true or false", 6: "user id", 7: "channel", 8: "role id", 9: "user or role id", 10: "number", 11: "file" };

/** Every runnable line: "/setup run", "/credentials add", "/ping"… with its leaf options. */
function entries(commands) {
  const out = [];
  for (const command of commands) {
    if ((command.type ?? 1) !== 1) continue;
    const options = command.options ?? [];
    const subs = options.filter((o) => o.type === SUBCOMMAND || o.type === GROUP);
    if (subs.length === 0) {
      out.push({ name: command.name, subcommand: undefined, description: command.description, options });
      continue;
    }
    for (const sub of subs) {
      if (sub.type === SUBCOMMAND) out.push({ name: command.name, subcommand: sub.name, description: sub.description, options: sub.options ?? [] });
      else for (const leaf of sub.options ?? []) out.push({ name: command.name, subcommand: `${sub.name} ${leaf.name}`, description: leaf.description, options: leaf.options ?? [] });
    }
  }
  return out.map((e) => ({ ...e, label: `/${[e.name, e.subcommand].filter(Boolean).join(" ")}` })).sort((a, b) => a.label.localeCompare(b.label));
}

export function initComposer(app) {
  const form = document.querySelector("[data-testid=composer]");
  const input = document.querySelector("[data-testid=command-input]");
  const suggestions = document.querySelector("[data-testid=command-suggestions]");
  const optionsBox = document.querySelector("[data-testid=command-form]");
  /** The picked command: its entry and the options' values as typed (or as an autocomplete choice's value). */
  let chosen = null;
  let matches = [];
  let active = 0;

  const hideSuggestions = () => { suggestions.hidden = true; matches = []; };

  function showSuggestions() {
    const typed = input.value.trim().toLowerCase();
    if (chosen || !typed.startsWith("/")) return hideSuggestions();
    const all = entries(app.commands);
    matches = all.filter((e) => e.label.startsWith(typed)).concat(all.filter((e) => !e.label.startsWith(typed) && e.label.includes(typed.slice(1)))).slice(0, 25);
    active = Math.min(active, Math.max(0, matches.length - 1));
    suggestions.replaceChildren(
      h("h2", {}, matches.length ? "Commands" : app.commands.length ? "No command matches" : "The bot has not registered its commands yet"),
      ...matches.map((entry, i) =>
        h(
          "button",
          {
            type: "button", class: `suggestion${i === active ? " active" : ""}`, "data-testid": "command-suggestion", "data-command": entry.label,
            onmousedown: (event) => event.preventDefault(), onclick: () => pick(entry),
          },
          h("strong", {}, entry.label), h("span", {}, entry.description ?? ""),
        ),
      ),
    );
    suggestions.hidden = false;
  }

  function reset() {
    chosen = null;
    input.value = "";
    input.readOnly = false;
    optionsBox.hidden = true;
    optionsBox.replaceChildren();
    hideSuggestions();
  }

  /** Picks a command: its options appear above the box. */
  function pick(entry) {
    chosen = { entry, values: {} };
    input.value = entry.label;
    input.readOnly = true;
    hideSuggestions();
    optionsBox.replaceChildren(
      h(
        "div",
        { class: "command-title" },
        h("span", {}, entry.description ?? ""),
        h("button", { type: "button", class: "link-button", "data-testid": "command-cancel", onclick: () => { reset(); input.focus(); } }, "✕ cancel"),
      ),
      ...entry.options.map((option) => optionField(option)),
      entry.options.length === 0 ? h("div", { class: "muted" }, "No options: press Enter or Send.") : null,
    );
    optionsBox.hidden = false;
    const first = optionsBox.querySelector("input, select");
    (first ?? input).focus();
  }

  function optionField(option) {
    const id = `option-${option.name}`;
    const set = (value) => { chosen.values[option.name] = value; };
    const label = h("label", { for: id }, option.name, option.required ? h("span", { class: "required" }, " *") : null);
    let control;
    if (option.choices?.length || option.type === 5 || option.type === 7) {
      const choices = option.choices?.map((c) => ({ name: c.name, value: String(c.value) }))
        ?? (option.type === 5 ? [{ name: "true", value: "true" }, { name: "false", value: "false" }]
          : [...app.channels.values()].filter((c) => c.kind === "text").map((c) => ({ name: `#${c.name}`, value: c.id })));
      control = h("select", { id, "data-testid": id, title: option.description ?? "" },
        h("option", { value: "" }, option.required ? "Choose…" : "(leave out)"),
        choices.map((c) => h("option", { value: c.value }, c.name)));
      control.addEventListener("change", () => set(control.value));
      return h("div", { class: "option", "data-testid": "option", "data-option": option.name }, label, control);
    }
    control = h("input", { id, "data-testid": id, placeholder: option.description ?? TYPE_NAMES[option.type] ?? "", title: option.description ?? "", autocomplete: "off" });
    if (option.max_length) control.maxLength = option.max_length;
    const wrapper = h("div", { class: "option", "data-testid": "option", "data-option": option.name }, label, control);
    control.addEventListener("input", () => set(control.value));
    if (option.autocomplete) attachAutocomplete(option, control, wrapper, set);
    return wrapper;
  }

  /** The bot's suggestions under an autocomplete option, asked as the user types (the latest answer wins). */
  function attachAutocomplete(option, control, wrapper, set) {
    const box = h("div", { class: "choices", "data-testid": `choices-${option.name}`, hidden: true });
    wrapper.append(box);
    let asked = 0;
    let timer;
    const ask = async () => {
      const mine = ++asked;
      const entry = chosen?.entry;
      if (!entry) return;
      try {
        const { choices } = await post("/api/autocomplete", {
          channelId: app.selected, name: entry.name, ...(entry.subcommand ? { subcommand: entry.subcommand } : {}),
          options: { ...chosen.values, [option.name]: control.value }, focused: option.name,
        });
        if (mine !== asked || !chosen) return;
        box.replaceChildren(
          ...(choices.length ? choices : [{ name: "No suggestions", value: null }]).map((choice) =>
            choice.value === null
              ? h("div", { class: "choice muted" }, choice.name)
              : h("button", {
                type: "button", class: "choice", "data-testid": "autocomplete-choice", "data-value": String(choice.value),
                onmousedown: (event) => event.preventDefault(),
                onclick: () => { control.value = choice.name; set(choice.value); box.hidden = true; },
              }, choice.name)),
        );
        box.hidden = false;
      } catch (error) {
        if (mine === asked) box.replaceChildren(h("div", { class: "choice muted" }, error.message));
        box.hidden = false;
      }
    };
    control.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(ask, 200); });
    control.addEventListener("focus", () => void ask());
    control.addEventListener("blur", () => { box.hidden = true; });
  }

  /** Sends the picked command and clears the box at once, as Discord does: another may be sent meanwhile. */
  async function run() {
    if (!chosen) return;
    if (!app.selected) return toast("Pick a channel first.");
    const { entry, values } = chosen;
    const options = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "" && v !== undefined));
    reset();
    try {
      const outcome = await post("/api/command", { channelId: app.selected, name: entry.name, ...(entry.subcommand ? { subcommand: entry.subcommand } : {}), options });
      app.interactionDone(outcome);
    } catch (error) {
      toast(error instanceof ApiError ? error.message : String(error));
      // Refused (a bad option): the command comes back as it was, to fix, unless another was picked meanwhile.
      if (!chosen && error instanceof ApiError && error.status === 400) restore(entry, values);
    }
  }

  function restore(entry, values) {
    pick(entry);
    for (const [name, value] of Object.entries(values)) {
      const control = optionsBox.querySelector(`[data-option="${CSS.escape(name)}"] :is(input, select)`);
      if (control) control.value = String(value);
      chosen.values[name] = value;
    }
  }

  async function submit() {
    if (chosen) return run();
    const text = input.value.trim();
    if (!text) return;
    if (text.startsWith("/")) {
      const exact = entries(app.commands).find((e) => e.label === text.toLowerCase());
      if (exact) {
        pick(exact);
        if (!exact.options.some((o) => o.required)) await run();
        return;
      }
      if (matches.length) return pick(matches[active]);
      return toast(`There is no command ${text}.`);
    }
    if (!app.selected) return toast("Pick a channel first.");
    try {
      await post("/api/message", { channelId: app.selected, content: text });
      input.value = "";
    } catch (error) {
      toast(error.message);
    }
  }

  input.addEventListener("input", () => { active = 0; showSuggestions(); });
  input.addEventListener("blur", () => setTimeout(hideSuggestions, 150));
  input.addEventListener("focus", showSuggestions);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") return reset();
    if (event.key === "Backspace" && chosen && input.readOnly) { event.preventDefault(); const label = chosen.entry.label; reset(); input.value = label.slice(0, -1); return showSuggestions(); }
    if (suggestions.hidden || matches.length === 0) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
      showSuggestions();
    } else if (event.key === "Tab") {
      event.preventDefault();
      pick(matches[active]);
    }
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); void submit(); });

  return {
    /** Runs `/name subcommand` with `options` (from the guide): through the same box, so the user sees it. */
    async runCommand(name, subcommand, options = {}) {
      const entry = entries(app.commands).find((e) => e.name === name && e.subcommand === subcommand);
      if (!entry) return toast(`The bot has no /${[name, subcommand].filter(Boolean).join(" ")} (yet).`);
      pick(entry);
      Object.assign(chosen.values, options);
      await run();
    },
    /** The command list changed (the bot registered its commands): redraw open suggestions. */
    commandsChanged() { if (!suggestions.hidden) showSuggestions(); },
  };
}

/** A modal the bot opened: a form with its text inputs; submitting sends the real modal submit. */
export function openModal(app, modal) {
  const dialog = document.querySelector("[data-testid=modal]");
  const error = h("div", { class: "modal-error", "data-testid": "modal-error", role: "alert" });
  const fields = modal.fields.map((field) => {
    const attrs = {
      id: `modal-${field.customId}`, name: field.customId, "data-testid": `modal-field-${field.customId}`, placeholder: field.placeholder ?? "",
      ...(field.maxLength !== null ? { maxlength: field.maxLength } : {}),
    };
    const control = field.style === "paragraph" ? h("textarea", attrs) : h("input", attrs);
    control.value = app.prefill?.[field.customId] ?? field.value ?? "";
    return h("div", {}, h("label", { for: attrs.id }, field.label, field.required ? h("span", { class: "required" }, " *") : null), control);
  });
  const submit = h("button", { type: "submit", class: "btn style-1", "data-testid": "modal-submit" }, "Submit");
  const form = h(
    "form",
    { method: "dialog", novalidate: true },
    h("h2", { "data-testid": "modal-title" }, modal.title),
    h("div", { class: "fields" }, fields),
    error,
    h("footer", {}, h("button", { type: "button", class: "cancel", "data-testid": "modal-cancel", onclick: () => dialog.close() }, "Cancel"), submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = "";
    const values = Object.fromEntries(modal.fields.map((f) => [f.customId, form.elements.namedItem(f.customId).value]));
    try {
      const outcome = await post("/api/modal", { customId: modal.customId, fields: values });
      app.prefill = null;
      dialog.close();
      app.interactionDone(outcome);
    } catch (e) {
      error.textContent = e.message;
    } finally {
      submit.disabled = false;
    }
  });
  dialog.dataset.customId = modal.customId;
  dialog.replaceChildren(form);
  if (!dialog.open) dialog.showModal();
  (fields[0]?.querySelector("input, textarea") ?? submit).focus();
}
