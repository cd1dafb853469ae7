// npm run deploy-commands: explicit registration, global or for one guild.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { runToEnd, spawnTs } from "../helpers/spawn.ts";

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(() => fake?.close());

const deploy = (args: string[], env: Record<string, string> = {}) =>
  runToEnd(spawnTs("src/bot/deploy-commands.ts", args, {
    env: { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_REST_URL: fake.restUrl, ...env },
  }));

describe("deploy-commands", () => {
  it("registers every command globally", async () => {
    const run = await deploy([]);
    expect(run.stdout).toContain(`Registered ${commands.length} commands globally`);
    expect(fake.commands()).toEqual(commands.map((c) => c.data));
    // /setup mixes admin and member subcommands: no command-wide permission, use-here for every member.
    const setup = fake.commands().find((c) => c.name === "setup");
    expect((setup && "options" in setup ? (setup.options ?? []) : []).map((o) => o.name)).toEqual(["run", "families", "remove", "use-here"]);
    expect(setup?.default_member_permissions ?? null).toBeNull();
  });

  it("registers in one guild with --guild", async () => {
    const guild = fake.createGuild({ name: "Dev" });
    const run = await deploy(["--guild", guild.id]);
    expect(run.stdout).toContain(`in guild ${guild.id}`);
    expect(fake.commands(guild.id).map((c) => c.name).sort()).toEqual(commands.map((c) => c.data.name).sort());
  });

  it("says what is missing instead of calling Discord", async () => {
    const before = fake.calls.length;
    const run = await deploy(["--guild", "nope"], { DISCORD_APPLICATION_ID: "" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("DISCORD_APPLICATION_ID is not set");
    expect(run.stderr).toContain("--guild must be a server id");
    expect(fake.calls.length).toBe(before);
  });

  it("an unreachable Discord is named as DISCORD_REST_URL / the network, not the database", async () => {
    // Port 9 (discard) has no listener here: connection refused, as on a machine without network.
    const run = await deploy([], { DISCORD_REST_URL: "http://127.0.0.1:9" });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Configuration error: DISCORD_REST_URL: cannot reach Discord at http:\/\/127\.0\.0\.1:9 [^\n]*network[^\n]*$/);
    expect(run.stderr).not.toContain("DATABASE_URL");
  });

  it("a missing --guild value or an unknown option prints one usage line, exit 2", async () => {
    for (const args of [["--guild"], ["--bogus"]]) {
      const run = await deploy(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr.trim()).toMatch(/^usage: npm run deploy-commands \[-- --guild <server id>\]$/);
    }
  });
});
