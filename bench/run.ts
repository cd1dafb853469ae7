// `npm run bench [name…]`: speed and memory figures, printed as a table. Each benchmark is a file here.
import { alarmLatency } from "./alarm-latency.ts";
import { databaseWrites } from "./database-writes.ts";
import { demo } from "./demo.ts";
import { fleet } from "./fleet.ts";
import { genetics } from "./genetics.ts";
import { intel } from "./intel.ts";
import { interactions } from "./interactions.ts";
import { liveConnections } from "./live-connections.ts";
import { mapRender } from "./map-render.ts";
import { playerHeatmap } from "./player-heatmap.ts";
import { secretSealing } from "./secret-sealing.ts";
import { shop } from "./shop.ts";

export interface BenchResult {
  name: string;
  figure: string;
  detail?: string;
}

const benchmarks: Record<string, () => Promise<BenchResult[]>> = {
  "database-writes": databaseWrites,
  "secret-sealing": secretSealing,
  interactions,
  "live-connections": liveConnections,
  "alarm-latency": alarmLatency,
  genetics,
  map: mapRender,
  heatmap: playerHeatmap,
  intel,
  shop,
  fleet,
  demo,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(", ")}; known: ${Object.keys(benchmarks).join(", ")}\n`);
  process.exit(1);
}
for (const [name, run] of Object.entries(benchmarks)) {
  if (wanted.length && !wanted.includes(name)) continue;
  for (const result of await run()) {
    process.stdout.write(`${result.name.padEnd(48)} ${result.figure.padStart(16)}  ${result.detail ?? ""}\n`);
  }
}
