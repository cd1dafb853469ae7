// /map's rendering: a 4,500 m map with the image size real servers send (3250 px with 500 px of sea), 200 markers,
// 100 notes and a team of 8. The first image decodes the server's JPEG and draws the base (once per wipe); every
// later one copies the cached base, draws the layers and encodes the PNG. Target: cached under 150 ms.
import { performance } from "node:perf_hooks";
import { LAYERS } from "../src/map/layers.ts";
import { MapRenderer } from "../src/map/render-map.ts";
import { scene } from "./map-scene.ts";
import type { BenchResult } from "./run.ts";

const RUNS = 40;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

export async function mapRender(): Promise<BenchResult[]> {
  const { map, content } = scene({ mapSize: 4500, markers: 200, notes: 100, team: 8 });
  const renderer = new MapRenderer();
  const all = new Set(LAYERS);
  let started = performance.now();
  let png = await renderer.render("bench", map, content, all);
  const first = performance.now() - started;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    started = performance.now();
    png = await renderer.render("bench", map, content, all);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const rss = process.memoryUsage().rss / 1024 / 1024;
  return [
    { name: "map: first render (decode + base + layers)", figure: `${first.toFixed(0)} ms`, detail: `${map.frame.width}×${map.frame.height} JPEG ${(map.image.length / 1024).toFixed(0)} KiB` },
    { name: "map: cached render p50", figure: `${percentile(times, 50).toFixed(0)} ms`, detail: `${RUNS} renders, all layers, 200 markers, 100 notes` },
    { name: "map: cached render p99", figure: `${percentile(times, 99).toFixed(0)} ms`, detail: `PNG ${(png.length / 1024).toFixed(0)} KiB` },
    { name: "map: process RSS after the renders", figure: `${rss.toFixed(0)} MiB` },
  ];
}
