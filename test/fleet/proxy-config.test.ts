// `npm run start:proxy` configured as a new operator might: one .env for the bot processes and the proxy, so the
// proxy's own DISCORD_REST_URL is the proxy. It must refuse to start in one line, not forward each request to
// itself forever (the bot's requests then hang until they time out).
import { describe, expect, it } from "vitest";
import { upstreamIsSelf } from "../../src/fleet/rest-proxy.ts";
import { runToEnd, spawnTs } from "../helpers/spawn.ts";

const SPAWN_TIMEOUT_MS = 120_000;

describe("the REST proxy's own DISCORD_REST_URL", () => {
  it("pointing at the proxy itself: one DISCORD_REST_URL line, exit 1", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    // Port 9 (discard) is never listened on here: the check runs before listening.
    const run = await runToEnd(spawnTs("src/fleet/proxy-main.ts", [], { env: { DISCORD_REST_URL: "http://localhost:9/api", DISCORD_PROXY_HOST: "127.0.0.1", DISCORD_PROXY_PORT: "9" } }));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "Configuration error: DISCORD_REST_URL: http://localhost:9/api is this proxy itself, so every request would be sent round to it forever; " +
        "leave DISCORD_REST_URL unset for the proxy (Discord's) and point only the bot processes at it\n",
    );
  });

  it("tells the proxy's own address from another's", () => {
    expect(upstreamIsSelf("http://127.0.0.1:8080/api", "127.0.0.1", 8080)).toBe(true);
    expect(upstreamIsSelf("http://[::1]:8080/api", "0.0.0.0", 8080)).toBe(true);
    expect(upstreamIsSelf("http://10.0.0.5:8080/api", "10.0.0.5", 8080)).toBe(true);
    expect(upstreamIsSelf("https://discord.com/api", "127.0.0.1", 8080)).toBe(false);
    expect(upstreamIsSelf("http://127.0.0.1:8081/api", "127.0.0.1", 8080)).toBe(false);
    // Listening on 10.0.0.5 only: 127.0.0.1:8080 is someone else (another proxy on this machine).
    expect(upstreamIsSelf("http://127.0.0.1:8080/api", "10.0.0.5", 8080)).toBe(false);
    expect(upstreamIsSelf("http://127.0.0.1:8080/api", "127.0.0.1", 0)).toBe(false);
  });
});
