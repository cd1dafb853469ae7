// Colours of the map's layers, in one place so the legend and the drawing agree.
export const PALETTE = {
  background: "#101418",
  labelText: "#e8e8e8",
  gridLine: "rgba(0, 0, 0, 0.45)",
  gridText: "rgba(255, 255, 255, 0.55)",
  textHalo: "rgba(0, 0, 0, 0.55)",
  monument: "#ffffff",
  online: "#3fd35f",
  offline: "#9aa0a6",
  dead: "#e0443e",
  tag: "#4aa3ff",
  sam: "#ff9f1a",
  death: "#e0443e",
  custom: "#c678dd",
  cargo: "#20c4c4",
  heli: "#ff5252",
  ch47: "#b388ff",
  vendor: "#ffd740",
  shop: "#ffffff",
  shopEmpty: "#777777",
} as const;

/** Distinct colours for team members, in order of their Steam ids (so each keeps one between images). */
export const MEMBER_COLOURS = ["#3fd35f", "#4aa3ff", "#ffd740", "#ff6ec7", "#00e5ff", "#ff9f1a", "#b388ff", "#c0ff33"] as const;
