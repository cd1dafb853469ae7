// .env.example is the operator's reference: every variable the configuration reads is there, commented, and
// copying it to .env as it stands gives a configuration that parses.
import { readFileSync } from "node:fs";
import { parse } from "dotenv";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, parseConfig } from "../src/config.ts";
import { ROOT } from "./helpers/spawn.ts";

const text = readFileSync(`${ROOT}.env.example`, "utf8");
const lines = text.split("\n");

describe(".env.example", () => {
  it("lists every variable the configuration reads, each under a comment", () => {
    const listed = new Map<string, number>();
    lines.forEach((line, i) => {
      const name = /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
      if (name) listed.set(name, i);
    });
    expect(CONFIG_VARIABLES.filter((name) => !listed.has(name))).toEqual([]);
    // A variable's line follows a comment, or another variable that a comment above explains with it.
    for (const name of CONFIG_VARIABLES) {
      let i = listed.get(name)! - 1;
      while (i >= 0 && /^[A-Z][A-Z0-9_]*=/.test(lines[i]!)) i--;
      expect(lines[i], `${name} has no comment above it`).toMatch(/^# \S/);
    }
  });

  it("names nothing the configuration does not read", () => {
    expect(Object.keys(parse(text)).filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });

  it("parses as it stands", () => {
    expect(() => parseConfig(parse(text))).not.toThrow();
  });
});
