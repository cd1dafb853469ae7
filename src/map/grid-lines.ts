// The game's grid on the rendered view: its lines and edge labels, from the grid module (src/events/grid.ts) so the
// image names every cell exactly as the bot's messages do.
import { columnName, gridFor } from "../events/grid.ts";
import { viewPixel, type View } from "./projection.ts";

export interface GridBand {
  /** "A", "AA" for a column, "0", "12" for a row. */
  label: string;
  /** Pixels of the view where the cell starts and ends (x for a column, y for a row). */
  from: number;
  to: number;
}

/** Columns west to east and rows north to south; empty for a map size with no grid. */
export function gridBands(view: View): { columns: GridBand[]; rows: GridBand[] } {
  const size = view.frame.mapSize;
  const grid = gridFor(size);
  if (!grid) return { columns: [], rows: [] };
  const columns: GridBand[] = [];
  const rows: GridBand[] = [];
  for (let i = 0; i < grid.count; i++) {
    // The last cell also takes the few metres past the last whole cell (cellOf does the same).
    const start = i * grid.cell;
    const end = i === grid.count - 1 ? size : start + grid.cell;
    columns.push({ label: columnName(i), from: viewPixel(view, start, 0).px, to: viewPixel(view, end, 0).px });
    rows.push({ label: String(i), from: viewPixel(view, 0, size - start).py, to: viewPixel(view, 0, size - end).py });
  }
  return { columns, rows };
}
