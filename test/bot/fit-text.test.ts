// The one fitter for outside text: within the limit in UTF-16 units, cut between grapheme clusters.
import { describe, expect, it } from "vitest";
import { fitEmbeds, fitChoices } from "../../src/bot/fit-payload.ts";
import { fitLines, fitText } from "../../src/bot/fit-text.ts";

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

describe("fitText", () => {
  it("keeps what fits, and cuts with an ellipsis otherwise", () => {
    expect(fitText("Rustopia", 8)).toBe("Rustopia");
    expect(fitText("Rustopia EU", 8)).toBe("Rustopi…");
  });

  it("never splits a ZWJ family, a skin tone or a flag", () => {
    for (const emoji of ["👨‍👩‍👧‍👦", "👍🏽", "🇩🇪", "❤️", "é"]) {
      for (let pad = 0; pad < 14; pad++) {
        const text = `${"x".repeat(pad)}${emoji}${"y".repeat(20)}`;
        const cut = fitText(text, 16);
        expect(cut.length).toBeLessThanOrEqual(16);
        const head = cut.slice(0, -1);
        // The cut is a prefix ending where a character as the player sees it ends.
        const boundaries = new Set([...graphemes.segment(text)].map((g) => g.index + g.segment.length));
        expect(text.startsWith(head) && boundaries.has(head.length)).toBe(true);
      }
    }
  });
});

describe("fitLines", () => {
  it("keeps whole lines and says how many were left out", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `server ${i} ${"=".repeat(80)}`);
    const { text, omitted } = fitLines(lines, 2000, (n) => `… and ${n} more`);
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.endsWith(`… and ${omitted} more`)).toBe(true);
    expect(text.split("\n").length - 1 + omitted).toBe(30);
  });
});

describe("Discord payloads", () => {
  it("keeps ten embeds within 6,000 characters, cutting the last ones first", () => {
    const embeds = fitEmbeds(Array.from({ length: 12 }, (_, i) => ({ title: `Alarm ${i}`, description: "d".repeat(1000) })));
    expect(embeds).toHaveLength(10);
    const size = embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0), 0);
    expect(size).toBeLessThanOrEqual(6000);
    expect(embeds[0]!.description).toHaveLength(1000);
  });

  it("gives at most 25 choices, names cut to 100, and leaves out a choice whose value would not fit", () => {
    const choices = fitChoices([{ name: "n".repeat(150), value: "v".repeat(101) }, ...Array.from({ length: 30 }, (_, i) => ({ name: `🦀 ${"x".repeat(120)}`, value: String(i) }))]);
    expect(choices).toHaveLength(25);
    expect(choices[0]!.value).toBe("0");
    expect(choices.every((c) => c.name.length <= 100)).toBe(true);
  });
});
