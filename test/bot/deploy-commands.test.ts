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
});
