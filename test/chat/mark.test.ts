// What a getTeamChat answer may look like (fields at their defaults are absent on real servers, lines can come in
// any order, a list can be empty or missing) and which lines come after a server's mark.
import { describe, expect, it } from "vitest";
import { advance, isAfter, markAll, parseHistory } from "../../src/chat/mark.ts";

const BOB = "76561198000000002";
const line = (message: string, time: number, steamId = BOB) => ({ steamId, name: "Bob", message, time });

describe("parseHistory", () => {
  it("sorts by time, keeping the server's order within a second", () => {
    const history = parseHistory({ messages: [line("c", 30), line("a", 10), line("b1", 20), line("b2", 20)] });
    expect(history.ok && history.lines.map((l) => l.message)).toEqual(["a", "b1", "b2", "c"]);
  });

  it("survives an empty or missing list, and leaves out only the lines that are not lines", () => {
    expect(parseHistory({ messages: [] })).toEqual({ ok: true, lines: [] });
    expect(parseHistory({})).toEqual({ ok: true, lines: [] });
    const history = parseHistory({ messages: [line("ok", 5), { steamId: "not a number", name: "x", message: "y", time: 1 }, null, { ...line("no time", 0) }] });
    expect(history.ok && history.lines.map((l) => l.message)).toEqual(["no time", "ok"]);
  });

  it("is not ok when the answer holds no team chat", () => {
    expect(parseHistory(undefined).ok).toBe(false);
    expect(parseHistory(null).ok).toBe(false);
    expect(parseHistory("messages").ok).toBe(false);
  });
});

describe("the mark", () => {
  it("counts a line at the mark's second as new unless it was handled", () => {
    const mark = markAll([line("a", 10), line("b", 20), line("c", 20)]);
    expect(mark.time).toBe(20);
    expect([line("b", 20), line("c", 20), line("a", 10), line("d", 20), line("e", 21)].map((l) => isAfter(mark, l))).toEqual([false, false, false, true, true]);
    expect(isAfter(null, line("a", 1))).toBe(true);
    const next = advance(mark, line("d", 20));
    expect(isAfter(next, line("d", 20))).toBe(false);
    expect(advance(next, line("old", 5))).toBe(next);
    expect(advance(next, line("new", 30))).toEqual({ time: 30, lines: [expect.any(String)] });
  });

  it("is time 0 with no lines for an empty history", () => {
    expect(markAll([])).toEqual({ time: 0, lines: [] });
  });
});
