// `npx tsx scripts/render-example-map.ts`: renders docs/map-example.png, the README's example map, from the fake
// Rust+ server's map image (test/fakes) with a team, notes and live markers, through the bot's own renderer.
import { writeFileSync } from "node:fs";
import { exampleMap } from "../bench/map-scene.ts";
import { DEFAULT_LAYERS } from "../src/map/layers.ts";
import { MapRenderer } from "../src/map/render-map.ts";

const scene = exampleMap();
const png = await new MapRenderer().render("example", scene.map, scene.content, new Set([...DEFAULT_LAYERS, "shops"]));
writeFileSync(new URL("../docs/map-example.png", import.meta.url), png);
process.stdout.write(`docs/map-example.png: ${png.length} bytes\n`);
