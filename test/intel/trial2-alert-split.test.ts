// An intel alert with more players than one embed holds (Discord: description 4,096 characters) is split into
// several posts, each fitted as the dispatcher posts it, and no player is dropped ("… and N more" lost names).
import { describe, expect, it } from "vitest";
import { compileWatchlist, type CompiledWatchlist } from "../../src/intel/watch/filter.ts";
import { matchTransitions, type FollowerView } from "../../src/intel/watch/match.ts";
import type { PlayerTransition } from "../../src/intel/types.ts";
import { notificationEvent } from "../../src/notify/events.ts";
import { formatEvent } from "../../src/notify/format.ts";

const at = new Date(Date.UTC(2026, 10, 30, 12));
const clan = compileWatchlist({ id: "w1", name: "abc", pairedServerId: null, filter: { pattern: "^\\[abc\\]" } }) as CompiledWatchlist;
const follower: FollowerView = { userId: "u1", pairedServerId: "p1", serverName: "Rustopia", notes: [], watchlists: [clan] };

function embeds(n: number, name: (i: number) => string) {
  const transitions: PlayerTransition[] = Array.from({ length: n }, (_, i) => ({ sessionId: `s${i}`, playerName: name(i), online: true, at }));
  const messages = matchTransitions({ transitions, streamerMode: false, wiped: false }, [follower]);
  expect(new Set(messages.map((m) => m.dedupeKey)).size).toBe(messages.length);
  return {
    messages,
    embeds: messages.map((m) => formatEvent(notificationEvent.parse({ kind: "intel-alert", serverName: m.serverName, at: at.toISOString(), title: m.title, lines: m.lines }))),
  };
}

describe("intel alert with many players", () => {
  it("45 short names: every player in some post, none folded away", () => {
    const { embeds: out } = embeds(45, (i) => `[ABC] p${String(i).padStart(2, "0")}`);
    const text = out.map((e) => e.description ?? "").join("\n");
    for (let i = 0; i < 45; i++) expect(text).toContain(`p${String(i).padStart(2, "0")}`);
    expect(text).not.toContain("more");
  });

  it("40 names of 150 markdown characters: each description within 4,096, every name whole", () => {
    const { embeds: out, messages } = embeds(40, (i) => `[ABC]${"_*".repeat(70)}${String(i).padStart(4, "0")}`);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages[0]!.title).toMatch(/\(1\/\d\)$/);
    for (const e of out) expect((e.description ?? "").length).toBeLessThanOrEqual(4096);
    const text = out.map((e) => e.description ?? "").join("\n");
    for (let i = 0; i < 40; i++) expect(text).toContain(String(i).padStart(4, "0"));
  });
});
