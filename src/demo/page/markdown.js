// Discord's markdown, as far as the bot uses it: code blocks and spans, bold, italics, underline, strikethrough,
// spoilers, headings, subtext, quotes, lists, masked and bare links, mentions, timestamps and custom emoji.
// Everything is escaped first-hand: the only markup in the result is what this file writes.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);

const dateFormats = {
  t: { hour: "2-digit", minute: "2-digit" },
  T: { hour: "2-digit", minute: "2-digit", second: "2-digit" },
  d: { day: "2-digit", month: "2-digit", year: "numeric" },
  D: { day: "numeric", month: "long", year: "numeric" },
  f: { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" },
  F: { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" },
};
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** A `<t:seconds:style>` timestamp as Discord's client shows it (style R: "in 5 minutes", "2 hours ago"). */
export function formatTimestamp(seconds, style = "f") {
  const date = new Date(seconds * 1000);
  if (style !== "R") return new Intl.DateTimeFormat("en-GB", dateFormats[style] ?? dateFormats.f).format(date);
  const diff = (date.getTime() - Date.now()) / 1000;
  const units = [["year", 31536000], ["month", 2592000], ["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
  for (const [unit, size] of units) {
    if (Math.abs(diff) >= size || unit === "second") return relative.format(Math.round(diff / size), unit);
  }
  return "";
}

/** Re-renders relative timestamps ("3 minutes ago") under `root`. */
export function refreshRelativeTimes(root = document) {
  for (const el of root.querySelectorAll("time[data-style=R]")) {
    el.textContent = formatTimestamp(Number(el.dataset.seconds), "R");
  }
}

/** Markdown to safe HTML. `names`: display names by "@id", "@&id", "#id" (from the server, per message). */
export function markdown(text, names = {}) {
  if (!text) return "";
  const parts = String(text).split("```");
  return parts
    .map((part, i) => {
      const isCode = i % 2 === 1 && i < parts.length - 1;
      if (isCode) return `<pre class="code-block"><code>${esc(part.replace(/^[a-z0-9+#-]*\n/i, "").replace(/\n$/, ""))}</code></pre>`;
      let body = part;
      if (i > 0) body = body.replace(/^\n/, ""); // the newline after a closing fence
      if (i < parts.length - 1) body = body.replace(/\n$/, ""); // the newline before an opening fence
      return blocks(i % 2 === 1 ? "```" + body : body, names); // an unclosed fence is text
    })
    .join("");
}

function blocks(text, names) {
  if (text === "") return "";
  return text
    .split("\n")
    .map((line) => {
      let m;
      if ((m = /^(#{1,3}) (.+)$/.exec(line))) return `<div class="md-h${m[1].length}">${inline(m[2], names)}</div>`;
      if ((m = /^-# (.+)$/.exec(line))) return `<div class="md-sub">${inline(m[1], names)}</div>`;
      if ((m = /^>>?>? ?(.*)$/.exec(line))) return `<div class="md-quote">${inline(m[1], names)}</div>`;
      if ((m = /^\s*[-*] (.+)$/.exec(line))) return `<div class="md-li">• ${inline(m[1], names)}</div>`;
      return `<div class="md-line">${inline(line, names)}</div>`;
    })
    .join("");
}

const link = (url, label) => `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${label}</a>`;

function inline(text, names) {
  const held = [];
  const hold = (html) => `\u0000${held.push(html) - 1}\u0001`;
  let s = text
    .replace(/`([^`]+)`/g, (_, code) => hold(`<code>${esc(code)}</code>`))
    .replace(/\\([\\`*_~|<>#\-[\]().:!@])/g, (_, c) => hold(esc(c)))
    .replace(/<(@!?|@&|#)(\d{5,20})>/g, (_, kind, id) => {
      const key = kind === "@&" ? `@&${id}` : kind === "#" ? `#${id}` : `@${id}`;
      const name = names[key];
      const label = kind === "#" ? `#${name ?? "unknown-channel"}` : `@${name ?? (kind === "@&" ? "unknown-role" : "unknown-user")}`;
      return hold(`<span class="mention" data-testid="mention">${esc(label)}</span>`);
    })
    .replace(/<t:(-?\d{1,13})(?::([tTdDfFR]))?>/g, (_, seconds, style = "f") =>
      hold(`<time class="timestamp" data-seconds="${esc(seconds)}" data-style="${style}" datetime="${new Date(Number(seconds) * 1000).toISOString()}">${esc(formatTimestamp(Number(seconds), style))}</time>`))
    .replace(/<a?:(\w{2,32}):\d{5,20}>/g, (_, name) => hold(`<span class="emoji">:${esc(name)}:</span>`))
    .replace(/\[([^\]\n]{1,256})\]\(<?(https?:\/\/[^\s)>]+)>?\)/g, (_, label, url) => hold(link(url, esc(label))))
    .replace(/<?(https?:\/\/[^\s<>]+[^\s<>.,:;"')\]])>?/g, (_, url) => hold(link(url, esc(url))));
  s = esc(s)
    .replace(/\*\*\*(.+?)\*\*\*/g, "<strong><em>$1</em></strong>")
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/__(.+?)__/g, "<u>$1</u>")
    .replace(/(^|[^*\w])\*(?=\S)(.+?)\*(?!\w)/g, "$1<em>$2</em>")
    .replace(/(^|[^\w])_(?=\S)(.+?)_(?!\w)/g, "$1<em>$2</em>")
    .replace(/~~(.+?)~~/g, "<s>$1</s>")
    .replace(/\|\|(.+?)\|\|/g, '<span class="spoiler">$1</span>');
  // Held pieces may hold others (a masked link's label with an escape): restore until none is left.
  for (let i = 0; i < 4 && s.includes("\u0000"); i++) s = s.replace(/\u0000(\d+)\u0001/g, (_, n) => held[Number(n)]);
  return s;
}
