// /player info's heatmap: the 7×24 cells of a heavy player (online ~8 h a day for 30 days, in 2–3 sessions a
// day) in a zone with DST (Europe/Berlin) and a half-hour zone (Asia/Kolkata), and the PNG drawn from them.
// Median of 7 runs after a warm-up, wall-clock ms.
import { performance } from "node:perf_hooks";
import { activityHeatmap, type OnlineSpan } from "../src/intel/player/heatmap.ts";
import { renderHeatmap } from "../src/intel/player/heatmap-image.ts";
import type { BenchResult } from "./run.ts";

const HOUR = 3_600_000;

function heavyPlayer(now: number): OnlineSpan[] {
  const spans: OnlineSpan[] = [];
  for (let day = 0; day < 31; day++) {
    const base = now - (day + 1) * 24 * HOUR;
    for (const [from, hours] of [[7.25, 2.5], [12.5, 1.75], [18.1, 3.75]] as const) {
      spans.push({ startedAt: new Date(base + from * HOUR), endedAt: new Date(base + (from + hours) * HOUR) });
    }
  }
  return spans;
}

async function median(run: () => unknown): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[3]!;
}

export async function playerHeatmap(): Promise<BenchResult[]> {
  const now = new Date();
  const spans = heavyPlayer(now.getTime());
  const results: BenchResult[] = [];
  for (const zone of ["Europe/Berlin", "Asia/Kolkata"]) {
    const ms = await median(() => activityHeatmap(spans, zone, now));
    results.push({ name: `heatmap cells, ${zone}`, figure: `${ms.toFixed(2)} ms`, detail: `${spans.length} sessions, ~240 h online` });
  }
  const cells = activityHeatmap(spans, "Europe/Berlin", now);
  let bytes = 0;
  const ms = await median(async () => (bytes = (await renderHeatmap(cells, { title: "Heavy player on Rustopia EU", timeZone: "Europe/Berlin", days: 30 })).length));
  results.push({ name: "heatmap PNG", figure: `${ms.toFixed(1)} ms`, detail: `${bytes} bytes` });
  return results;
}
