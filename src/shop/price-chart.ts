// The /shop price chart: an item's lowest listed unit price per hour as a line, drawn by Chart.js on an
// @napi-rs/canvas context in Node (no browser: Chart.js takes a 2D context and uses its basic platform when there is
// no DOM; responsive and animation off so it draws once, synchronously). Hours without a listing are gaps.
import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import { CategoryScale, Chart, Filler, LinearScale, LineController, LineElement, PointElement, Title } from "chart.js";
import { registerMapFonts, TEXT_FAMILY } from "../map/fonts.ts";
import { encodePng } from "../map/png-encode.ts";
import { HOUR_MS } from "./price-history.ts";

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Title, Filler);

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;

export interface PricePoint {
  /** Start of the UTC hour, ms since the epoch. */
  hour: number;
  /** The unit price cost / quantity (a float for drawing only; comparisons stay exact elsewhere). */
  value: number;
}

const label = (ms: number) => {
  const d = new Date(ms);
  return `${d.toLocaleString("en-GB", { month: "short", day: "numeric", timeZone: "UTC" })} ${String(d.getUTCHours()).padStart(2, "0")}:00`;
};

/**
 * A PNG (CHART_WIDTH × CHART_HEIGHT) of `points` (sorted by hour, at least one), every hour from the first to the last
 * on the x axis (UTC), `title` above, the y axis in `unit` starting at 0.
 */
export async function renderPriceChart(points: readonly PricePoint[], title: string, unit: string): Promise<Buffer> {
  registerMapFonts();
  const first = points[0]!.hour;
  const last = points.at(-1)!.hour;
  const byHour = new Map(points.map((p) => [p.hour, p.value]));
  const hours: number[] = [];
  for (let h = first; h <= last; h += HOUR_MS) hours.push(h);
  const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, CHART_WIDTH, CHART_HEIGHT);
  Chart.defaults.font.family = TEXT_FAMILY;
  const values = hours.map((h) => byHour.get(h) ?? null);
  // Over two days points are left off (the line shows them), but an hour listed between gaps has no line: its point
  // is drawn, or a month with a few listed hours would be an empty chart.
  const radius = values.map((v, i) => (v !== null && (hours.length <= 48 || ((values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null)) ? 3 : 0));
  const chart = new Chart(ctx as unknown as ConstructorParameters<typeof Chart>[0], {
    type: "line",
    data: {
      labels: hours.map(label),
      datasets: [{ label: unit, data: values, borderColor: "#ce422b", backgroundColor: "rgba(206, 66, 43, 0.15)", pointBackgroundColor: "#ce422b", fill: true, pointRadius: radius, spanGaps: false, stepped: false }],
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      plugins: { title: { display: true, text: title, font: { size: 16 } } },
      scales: {
        x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
        y: { beginAtZero: true, title: { display: true, text: unit } },
      },
    },
  });
  try {
    return await encodePng(ctx as SKRSContext2D, CHART_WIDTH, CHART_HEIGHT);
  } finally {
    chart.destroy();
  }
}
