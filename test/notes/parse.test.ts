// What /note and !note accept: TTLs, labels, emoji, colours, the shapes of positions, and !note's trailing TTL.
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { parseColor, parseEmoji, parseLabel } from "../../src/notes/fields.ts";
import { splitTtl } from "../../src/notes/ingame-command.ts";
import { parsePosition } from "../../src/notes/position.ts";
import { parseTtl, TTL_MAX_MS } from "../../src/notes/ttl.ts";
import { teamMarkers } from "../../src/notes/team-markers.ts";

const refused = (fn: () => unknown) => expect(fn).toThrow(UserError);

describe("parseTtl", () => {
  it("reads minutes, hours, days, weeks, their sums, and until wipe", () => {
    expect(parseTtl("30m")).toBe(1_800_000);
    expect(parseTtl(" 2H ")).toBe(7_200_000);
    expect(parseTtl("1d")).toBe(86_400_000);
    expect(parseTtl("1h30m")).toBe(5_400_000);
    expect(parseTtl("1m")).toBe(60_000);
    expect(parseTtl("30d")).toBe(TTL_MAX_MS);
    expect(parseTtl("until wipe")).toBeNull();
    expect(parseTtl("Until  Wipe")).toBeNull();
  });

  it("refuses negative, zero, too short or too long times and junk", () => {
    for (const bad of ["-5m", "0", "0m", "5", "31d", "5w", "soon", "", "2 hours", "1.5h", "9".repeat(50) + "m"]) refused(() => parseTtl(bad));
  });
});

describe("fields", () => {
  it("labels up to 100 characters, without control characters", () => {
    expect(parseLabel("  big base  ")).toBe("big base");
    expect(parseLabel("x".repeat(100))).toHaveLength(100);
    refused(() => parseLabel("x".repeat(101)));
    refused(() => parseLabel("x".repeat(10_000)));
    refused(() => parseLabel("a\u0000b"));
    expect(parseLabel("pride 🏳️‍🌈")).toBe("pride 🏳️‍🌈");
  });

  it("one emoji (sequences included) or a Discord custom emoji; colours as #rrggbb", () => {
    for (const ok of ["🏠", "👍🏽", "🏳️‍🌈", "1️⃣", "<:base:123456789012345678>", "<a:spin:123456789012345678>"]) expect(parseEmoji(ok)).toBe(ok);
    for (const bad of ["abc", "🏠🏠", "", ":base:", "<:x:1>"]) refused(() => parseEmoji(bad));
    expect(parseColor("#FF8800")).toBe("#ff8800");
    expect(parseColor("00aa11")).toBe("#00aa11");
    for (const bad of ["red", "#fff", "#ff88001", "#gg0000"]) refused(() => parseColor(bad));
  });
});

describe("parsePosition", () => {
  it("tells a grid cell, metres, me, a mention and a name apart", () => {
    expect(parsePosition("g12")).toEqual({ kind: "grid", label: "G12" });
    expect(parsePosition("1500,2100")).toEqual({ kind: "xy", x: 1500, y: 2100 });
    expect(parsePosition("1500.5 , 20")).toEqual({ kind: "xy", x: 1500.5, y: 20 });
    expect(parsePosition("-5,20")).toEqual({ kind: "xy", x: -5, y: 20 });
    expect(parsePosition("ME")).toEqual({ kind: "me" });
    expect(parsePosition("<@!123456789012345678>")).toEqual({ kind: "member", discordId: "123456789012345678" });
    expect(parsePosition("@Bob")).toEqual({ kind: "member", name: "Bob" });
    refused(() => parsePosition(" "));
    refused(() => parsePosition("x".repeat(65)));
  });
});

describe("!note's trailing TTL", () => {
  it("takes a last word that is a time, or 'until wipe'; anything else is part of the text", () => {
    expect(splitTtl("big base 2h")).toEqual({ text: "big base", ttl: 7_200_000 });
    expect(splitTtl("big base until wipe")).toEqual({ text: "big base", ttl: null });
    expect(splitTtl("big base")).toEqual({ text: "big base", ttl: null });
    expect(splitTtl("2h")).toEqual({ text: "2h", ttl: null });
    refused(() => splitTtl("stash 0m"));
  });
});

describe("teamMarkers", () => {
  it("reads the team's in-game notes and leaves out anything unreadable", () => {
    const info = { mapNotes: [{ type: 1, x: 10, y: 20 }, { type: 0, x: 5, y: 6 }, { type: 7, x: 1, y: 1 }, { type: 1, x: "a", y: 2 }], leaderMapNotes: [{ type: 1, x: 3, y: 4 }] };
    expect(teamMarkers(info)).toEqual([
      { kind: "marker", x: 10, y: 20 },
      { kind: "last-death", x: 5, y: 6 },
      { kind: "leader-marker", x: 3, y: 4 },
    ]);
    expect(teamMarkers(null)).toEqual([]);
    expect(teamMarkers({ mapNotes: "nope" })).toEqual([]);
  });

  it("reads a note without a type as type 0, the player's last death, as servers leave defaults off the wire", () => {
    expect(teamMarkers({ mapNotes: [{ x: 5, y: 6 }] })).toEqual([{ kind: "last-death", x: 5, y: 6 }]);
  });
});
