// The pure diff between a server's open sessions and one poll's list.
import { describe, expect, it } from "vitest";
import { diffSessions, type OpenSession } from "../../src/intel/poll/session-diff.ts";

const T0 = Date.UTC(2026, 0, 1, 12);
const at = (s: number) => new Date(T0 + s * 1000);
let n = 0;
const session = (playerName: string, startedAt: number, lastSeenAt: number, steamId: string | null = null): OpenSession => ({ id: `s${++n}`, playerName, steamId, startedAt: at(startedAt), lastSeenAt: at(lastSeenAt) });

describe("diffSessions", () => {
  it("opens new names at the time the server says they connected, touches the listed, closes the gone at their last sighting", () => {
    const alice = session("Alice", 0, 60);
    const bob = session("Bob", 0, 60);
    const d = diffSessions([alice, bob], [{ name: "Alice", connectedSeconds: 120 }, { name: "Carol", connectedSeconds: 30 }], at(120));
    expect(d.touch.map((t) => t.session.id)).toEqual([alice.id]);
    expect(d.open).toEqual([{ player: { name: "Carol", connectedSeconds: 30 }, startedAt: at(90) }]);
    expect(d.close).toEqual([{ session: bob, endedAt: at(60), reason: "gone" }]);
  });

  it("counts duplicate names as a multiset", () => {
    const bobs = [session("Bob", 0, 60), session("Bob", 10, 60)];
    const one = diffSessions(bobs, [{ name: "Bob", connectedSeconds: 120 }], at(120));
    expect(one.touch).toHaveLength(1);
    expect(one.touch[0]?.session.id).toBe(bobs[0]!.id); // the longest connected keeps the oldest session
    expect(one.close.map((c) => c.session.id)).toEqual([bobs[1]!.id]);
    const three = diffSessions(bobs, [{ name: "Bob" }, { name: "Bob" }, { name: "Bob" }], at(120));
    expect([three.touch.length, three.open.length, three.close.length]).toEqual([2, 1, 0]);
  });

  it("a player whose connection time went down left and came back: the old session ends, a new one starts", () => {
    const alice = session("Alice", 0, 60);
    const d = diffSessions([alice], [{ name: "Alice", connectedSeconds: 20 }], at(120));
    expect(d.close).toEqual([{ session: alice, endedAt: at(60), reason: "reconnected" }]);
    expect(d.open).toEqual([{ player: { name: "Alice", connectedSeconds: 20 }, startedAt: at(100), reconnectOf: alice }]);
    expect(d.touch).toEqual([]);
  });

  it("matches by Steam id before names (a renamed player keeps their session), and a Steam-id session listed by name alone", () => {
    const s = session("OldName", 0, 60, "76561198000000001");
    const renamed = diffSessions([s], [{ name: "NewName", steamId: "76561198000000001" }], at(120));
    expect(renamed.touch.map((t) => t.session.id)).toEqual([s.id]);
    const byName = diffSessions([s], [{ name: "OldName" }], at(120));
    expect(byName.touch.map((t) => t.session.id)).toEqual([s.id]);
  });

  it("does not start a session before the wipe, nor after the poll", () => {
    const d = diffSessions([], [{ name: "A", connectedSeconds: 7200 }, { name: "B", connectedSeconds: -5 }], at(3600), at(600));
    expect(d.open.map((o) => o.startedAt)).toEqual([at(600), at(3600)]);
  });

  it("stays linear: 200 players against 200 sessions", () => {
    const open = Array.from({ length: 200 }, (_, i) => session(`P${i}`, 0, 60));
    const listed = Array.from({ length: 200 }, (_, i) => ({ name: `P${i + 100}`, connectedSeconds: 120 }));
    const d = diffSessions(open, listed, at(120));
    expect([d.touch.length, d.open.length, d.close.length]).toEqual([100, 100, 100]);
  });
});
