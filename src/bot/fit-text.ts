// Fitting outside text (server names, alarm titles, whatever a player typed) into a limit, never rejecting
// it. Lengths are UTF-16 code units: what the game counts (C# strings), and never fewer than Discord counts,
// so a fit here also fits there. Cuts fall between grapheme clusters (Intl.Segmenter), so an emoji with a
// skin tone or a ZWJ family, or a letter with its accents, is kept whole or dropped whole.

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export const ELLIPSIS = "…";

/**
 * The longest head of `text` of at most `max` UTF-16 units that ends on a grapheme boundary. With
 * `atSpace`, a cut prefers the last space in the second half of the head (for chat, where words matter).
 */
export function headOf(text: string, max: number, options: { atSpace?: boolean } = {}): string {
  if (text.length <= max) return text;
  let end = 0;
  let space = -1;
  for (const { segment, index } of graphemes.segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
    if (segment === " ") space = index;
  }
  if (options.atSpace && space > max / 2) return text.slice(0, space + 1);
  return text.slice(0, end);
}

/**
 * `text` in at most `max` UTF-16 units: as it is when it fits, else cut at a grapheme boundary with "…"
 * appended (trailing spaces before the "…" dropped). `max` below 1 gives "".
 */
export function fitText(text: string, max: number, options: { atSpace?: boolean } = {}): string {
  if (text.length <= max) return text;
  if (max < 1) return "";
  return headOf(text, max - ELLIPSIS.length, options).trimEnd() + ELLIPSIS;
}

/** Outside text for a field that must not be blank: trimmed and fitted, or `fallback` when nothing is left. */
export function fitOr(text: string | undefined, max: number, fallback: string): string {
  const trimmed = (text ?? "").trim();
  return trimmed ? fitText(trimmed, max) : fitText(fallback, max);
}

/**
 * Lines joined with "\n" within `max` units: whole lines while they fit (a line longer than `max` on its
 * own is cut), then `more(n)` for the n lines left out. Returns the text and how many lines were left out.
 */
export function fitLines(lines: readonly string[], max: number, more: (n: number) => string): { text: string; omitted: number } {
  const all = lines.join("\n");
  if (all.length <= max) return { text: all, omitted: 0 };
  const kept: string[] = [];
  let used = 0;
  for (const [i, raw] of lines.entries()) {
    const tail = more(lines.length - i); // the note if this line is the first left out (never shorter than for later ones)
    const line = fitText(raw, max - tail.length - 1);
    const cost = (kept.length ? 1 : 0) + line.length;
    // Room for this line and, unless it is the last, the note about the rest.
    if (used + cost + (i < lines.length - 1 ? 1 + tail.length : 0) > max) break;
    kept.push(line);
    used += cost;
  }
  const omitted = lines.length - kept.length;
  return { text: omitted ? [...kept, more(omitted)].join("\n") : kept.join("\n"), omitted };
}
