// One industrial conveyor filter entry in the game's copy/paste JSON: an item (by shortname) or a category
// (by number; 0 is Weapon), the most to keep in the output, buffer, the least to leave in the input, and
// whether it is a blueprint. Category rows have an empty item name.
export interface GameFilterEntry {
  TargetCategory: number | null;
  MaxAmountInOutput: number;
  BufferAmount: number;
  MinAmountInInput: number;
  IsBlueprint: boolean;
  BufferTransferRemaining: number;
  TargetItemName: string;
}

/** A conveyor holds at most this many entries. */
export const MAX_ENTRIES = 30;

export type Target = { kind: "item"; shortname: string; name: string; stackSize: number } | { kind: "category"; category: number; name: string };

export function filterEntry(target: Target, maxAmountInOutput: number): GameFilterEntry {
  return {
    TargetCategory: target.kind === "category" ? target.category : null,
    MaxAmountInOutput: maxAmountInOutput,
    BufferAmount: 0,
    MinAmountInInput: 0,
    IsBlueprint: false,
    BufferTransferRemaining: 0,
    TargetItemName: target.kind === "item" ? target.shortname : "",
  };
}
