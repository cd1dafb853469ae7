// INTEL_POLL_INTERVAL_MS and INITIAL_CREDITS_FOR_NEW: each bad value is one readable line naming the variable.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.ts";

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("intel configuration", () => {
  it.each(["abc", "9999", "3600001", "60000.5", "-1", "1e5", "0x2710", " 60000 ", "Infinity", "60_000"])("INTEL_POLL_INTERVAL_MS=%j", (value) => {
    const p = problems({ INTEL_POLL_INTERVAL_MS: value });
    if (p.length === 0) {
      // Accepted only when it reads as a whole number of ms in range.
      expect(parseConfig({ INTEL_POLL_INTERVAL_MS: value }).INTEL_POLL_INTERVAL_MS).toBe(Number(value.trim()));
      return;
    }
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^INTEL_POLL_INTERVAL_MS: .*10000.*3600000/);
  });

  it("INITIAL_CREDITS_FOR_NEW=-5 is one line", () => {
    expect(problems({ INITIAL_CREDITS_FOR_NEW: "-5" })).toHaveLength(1);
    expect(parseConfig({ INITIAL_CREDITS_FOR_NEW: "0" }).INITIAL_CREDITS_FOR_NEW).toBe(0);
  });
});
