// The pure alert step (src/intel/watch/match.ts): a long list split into posts within the event's line limit and still a
// valid notification; the dedupe key the same whatever order a re-run lists the transitions in; a user with two
// paired servers on the same Rust server gets one line per player.
import { describe, expect, it } from "vitest";
import { compileWatchlist, type CompiledWatchlist } from "../../src/intel/watch/filter.ts";
import { matchTransitions, type FollowerView } from "../../src/intel/watch/match.ts";
import type { PlayerTransition } from "../../src/intel/types.ts";
import { INTEL_ALERT_MAX_LINES, notificationEvent } from "../../src/notify/events.ts";

const at = new Date(Date.UTC(2026, 10, 30, 12));
const online = (n: number): PlayerTransition[] => Array.from({ length: n }, (_, i) => ({ sessionId: `s${i}`, playerName: `[ABC] p${String(i).padStart(2, "0")}`, online: true, at }));
const clan = compileWatchlist({ id: "w1", name: "abc", pairedServerId: null, filter: { pattern: "^\\[abc\\]" } }) as CompiledWatchlist;
const follower = (pairedServerId: string): FollowerView => ({ userId: "u1", pairedServerId, serverName: "Rustopia", notes: [], watchlists: [clan] });

describe("matchTransitions", () => {
  it("splits more players than an alert holds into several posts, and each event validates", () => {
    const [m, m2] = matchTransitions({ transitions: online(45), streamerMode: false, wiped: false }, [follower("p1")]);
    expect(m!.lines).toHaveLength(INTEL_ALERT_MAX_LINES);
    expect(m2!.lines).toHaveLength(5);
    expect(m!.title).toBe("👁 45 came online (1/2)");
    const event = { kind: "intel-alert", serverName: m!.serverName, at: at.toISOString(), title: m!.title, lines: m!.lines };
    expect(notificationEvent.safeParse(event).success).toBe(true);
  });

  it("keys a poll by its transitions whatever their order, and lists a player once for a user following twice", () => {
    const transitions = online(3);
    const [a] = matchTransitions({ transitions, streamerMode: false, wiped: false }, [follower("p1"), follower("p2")]);
    const [b] = matchTransitions({ transitions: [...transitions].reverse(), streamerMode: false, wiped: false }, [follower("p1")]);
    expect(a!.dedupeKey).toBe(b!.dedupeKey);
    expect(a!.lines).toEqual(["🟢 [ABC] p00 — abc", "🟢 [ABC] p01 — abc", "🟢 [ABC] p02 — abc"]);
    const [c] = matchTransitions({ transitions: [{ ...transitions[0]!, online: false }], streamerMode: false, wiped: false }, [follower("p1")]);
    expect(c!.dedupeKey).not.toBe(a!.dedupeKey);
  });

  it("finds a note bound to a Steam id by its name when the poll lists no Steam ids (A2S), but not under another Steam id", () => {
    const raiders = compileWatchlist({ id: "w2", name: "raiders", pairedServerId: null, filter: { tags: ["raider"] } }) as CompiledWatchlist;
    const bound = { id: "n1", steamId: "76561198000000101", playerName: "Rick", tags: ["raider"], tracked: false };
    const view: FollowerView = { userId: "u1", pairedServerId: "p1", serverName: "Rustopia", notes: [bound], watchlists: [raiders] };
    const poll = (t: Partial<PlayerTransition>) => ({ transitions: [{ sessionId: "s1", playerName: "Rick", online: false, at, ...t }], streamerMode: false, wiped: false });
    expect(matchTransitions(poll({}), [view])[0]?.lines).toEqual(["🔴 Rick — raiders"]);
    expect(matchTransitions(poll({ steamId: "76561198000000101", playerName: "Ricky" }), [view])[0]?.lines).toEqual(["🔴 Ricky (noted as Rick) — raiders"]);
    expect(matchTransitions(poll({ steamId: "76561198000000999" }), [view])).toEqual([]);
  });
});
