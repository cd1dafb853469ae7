// Outside text (team chat, player and server names, push fields) may hold control characters. U+0000 cannot be
// stored by PostgreSQL at all: a text column refuses it (22021) and so does jsonb (22P05), so one NUL in a line
// would fail the write of that line's notification. The other controls show in Discord as nothing or as boxes.

// C0 controls except tab, newline and carriage return; DEL; C1 controls.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** `text` without control characters (tab, newline and carriage return kept): for text shown in Discord. */
export function withoutControls(text: string): string {
  return text.replace(CONTROLS, "");
}

/**
 * `value` (JSON-shaped: objects, arrays, strings, numbers, booleans, null) with U+0000 removed from every string in
 * it, keys included, so PostgreSQL can store it as jsonb. Other values are returned as they are.
 */
export function storableJson<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\u0000") ? value.replaceAll("\u0000", "") : value;
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [strip(k), strip(v)]));
  }
  return value;
}
