// A player's weekly activity: minutes online in each weekday-hour of the viewer's time zone over the last days.
// Wall-clock weekday and hour come from Intl for every stretch (never from a fixed offset), so a DST change
// inside the window puts each minute in the hour the viewer's clock showed at that moment.

/** Rows Monday … Sunday, columns hours 0 … 23. */
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
export const HEATMAP_DAYS = 30;

const HOUR_MS = 3_600_000;
const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A stretch online: `endedAt` null while still online (counted to `now`). */
export interface OnlineSpan {
  startedAt: Date;
  endedAt: Date | null;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The viewer's weekday (0 = Monday), hour and the ms left until their clock's next full hour, at `t`. */
function wallClock(f: Intl.DateTimeFormat, t: number): { day: number; hour: number; msToNextHour: number } {
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of f.formatToParts(t)) {
    if (part.type === "weekday") day = WEEKDAY_INDEX[part.value] ?? 0;
    else if (part.type === "hour") hour = Number(part.value) % 24;
    else if (part.type === "minute") minute = Number(part.value);
    else if (part.type === "second") second = Number(part.value);
  }
  const ms = ((t % 1000) + 1000) % 1000;
  return { day, hour, msToNextHour: HOUR_MS - (minute * 60_000 + second * 1000 + ms) };
}

/**
 * The spans merged where they overlap (two sessions of one player counted once), clipped to [from, to], in ms.
 * An open span ends at `to`.
 */
export function mergedSpans(spans: readonly OnlineSpan[], from: number, to: number): [number, number][] {
  const clipped = spans
    .map((s): [number, number] => [Math.max(s.startedAt.getTime(), from), Math.min(s.endedAt?.getTime() ?? to, to)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const span of clipped) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  return merged;
}

/**
 * Minutes online per weekday-hour: `cells[day][hour]`, day 0 = Monday … 6 = Sunday, hour 0 … 23 on the clock of
 * `timeZone` (an IANA name Intl accepts; throws RangeError otherwise), over the `days` (default 30) before `now`.
 * Each stretch is split exactly at the viewer's hour boundaries; overlapping spans count once; open spans run to
 * `now`. Fractional minutes are kept (a 30-second stretch adds 0.5). Time zones change offset on a full local
 * hour (every current tzdata rule, Lord Howe's half-hour shift included), which is what the split relies on.
 */
export function activityHeatmap(spans: readonly OnlineSpan[], timeZone: string, now: Date, days = HEATMAP_DAYS): number[][] {
  const cells = WEEKDAYS.map(() => new Array<number>(24).fill(0));
  const f = formatter(timeZone);
  const to = now.getTime();
  for (const [start, end] of mergedSpans(spans, to - days * 24 * HOUR_MS, to)) {
    for (let t = start; t < end; ) {
      const { day, hour, msToNextHour } = wallClock(f, t);
      const next = Math.min(end, t + msToNextHour);
      cells[day]![hour]! += (next - t) / 60_000;
      t = next;
    }
  }
  return cells;
}
