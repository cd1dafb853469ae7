// Small DOM helpers for the playground page: an element builder, toasts, and the JSON API client.

/**
 * h("button", { class: "btn", "data-testid": "x", onclick: fn, disabled: true }, "label", child…)
 * Attributes named on* become listeners; false/null/undefined attributes are left out; children are nodes or text.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else if (name === "html") el.innerHTML = value; // only ever given markup built from escaped text (markdown.js)
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A short message at the bottom of the screen, gone after a few seconds. */
export function toast(text, kind = "error") {
  const box = document.querySelector("[data-testid=toasts]");
  const el = h("div", { class: `toast ${kind}`, "data-testid": "toast", "data-kind": kind, role: kind === "error" ? "alert" : "status", title: "Click to close", onclick: () => el.remove() }, text);
  box.append(el);
  while (box.children.length > 3) box.firstChild.remove();
  setTimeout(() => el.remove(), kind === "error" ? 8000 : 5000);
}

/** An API error with the server's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** POSTs JSON to the playground's API; resolves with the answer's JSON, throws ApiError with the server's message. */
export async function post(path, body) {
  let response;
  try {
    response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "The playground is not answering. Is npm run demo still running?");
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, json.error ?? `HTTP ${response.status}`);
  return json;
}

/** A colour for a user's avatar, stable per id (Discord's default avatars pick from five by id too). */
export function avatarColour(id) {
  const colours = ["#5865f2", "#757e8a", "#3ba55c", "#faa61a", "#ed4245", "#eb459f"];
  let sum = 0;
  for (const c of String(id)) sum = (sum * 31 + c.charCodeAt(0)) % 1000003;
  return colours[sum % colours.length];
}

export function initials(name) {
  return String(name).split(/\s+/).filter(Boolean).slice(0, 2).map((w) => [...w][0]).join("").toUpperCase() || "?";
}

/** Snowflake order (ids are too large for numbers). */
export function compareIds(a, b) {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
