// The map's fonts, shipped in the project (OFL-1.1 packages from the npm registry) and registered by path, so an
// image looks the same on every machine whatever fonts it has installed. Inter for text; Noto Emoji (monochrome)
// for the emoji of custom notes. @napi-rs/canvas reads their WOFF2 files directly.
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { GlobalFonts } from "@napi-rs/canvas";

/** Family names as canvas `font` strings use them: `bold 16px ${MAP_FONT}`. */
export const TEXT_FAMILY = "RustMapText";
export const EMOJI_FAMILY = "RustMapEmoji";
/** Text first, emoji for what it lacks. */
export const MAP_FONT = `${TEXT_FAMILY}, ${EMOJI_FAMILY}`;

let registered = false;

/**
 * Registers the fonts once per process.
 * @throws Error when a font package is missing (an incomplete install).
 */
export function registerMapFonts(): void {
  if (registered) return;
  const require = createRequire(import.meta.url);
  const files = (pkg: string) => join(dirname(require.resolve(`${pkg}/package.json`)), "files");
  const inter = files("@fontsource/inter");
  for (const weight of ["400", "700"]) register(join(inter, `inter-latin-${weight}-normal.woff2`), TEXT_FAMILY);
  const emoji = files("@fontsource/noto-emoji");
  for (const file of readdirSync(emoji).filter((f) => f.endsWith("-400-normal.woff2"))) register(join(emoji, file), EMOJI_FAMILY);
  registered = true;
}

function register(path: string, family: string): void {
  if (!GlobalFonts.registerFromPath(path, family)) throw new Error(`could not load the map font ${path}`);
}
