// Every command with generated options (within what Discord itself would send): always an answer, never
// an unexpected failure.
import { ApplicationCommandOptionType, InteractionResponseType, PermissionFlagsBits, type APIApplicationCommandOption } from "discord.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let linked: ReturnType<FakeDiscord["createUser"]>;
let users: ReturnType<FakeDiscord["createUser"]>[] = [];
let roles: string[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const guild = fake.createGuild({ name: "Fuzz" });
  guildId = guild.id;
  // Roles of the guild (one anyone may mention, one not), and @everyone (whose id is the guild's).
  roles = [guild.createRole("Fuzzers", 0n).id, guild.createRole("Pingable", 0n, { mentionable: true }).id, guild.id];
  bot = await startTestBot(fake);
  linked = fake.createUser();
  await linkUser(bot.db.prisma, linked.id);
  users = [linked, fake.createUser()];
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

type Value = string | number | boolean;

function valueArbitrary(option: APIApplicationCommandOption): fc.Arbitrary<Value> | undefined {
  if ("choices" in option && option.choices?.length) return fc.constantFrom(...option.choices.map((c) => c.value));
  switch (option.type) {
    case ApplicationCommandOptionType.String:
      return fc.string({ unit: "grapheme", maxLength: 100 });
    case ApplicationCommandOptionType.Integer:
      return fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 });
    case ApplicationCommandOptionType.Number:
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case ApplicationCommandOptionType.Boolean:
      return fc.boolean();
    case ApplicationCommandOptionType.User:
      return fc.constantFrom(...users.map((u) => u.id));
    case ApplicationCommandOptionType.Role:
      return fc.constantFrom(...roles);
    default:
      return undefined;
  }
}

function optionsArbitrary(options: readonly APIApplicationCommandOption[]): fc.Arbitrary<Record<string, Value>> {
  const entries: Record<string, fc.Arbitrary<Value>> = {};
  for (const option of options) {
    const arb = valueArbitrary(option);
    if (arb) entries[option.name] = arb;
  }
  const required = options.filter((o) => "required" in o && o.required).map((o) => o.name);
  return fc.record(entries, { requiredKeys: required });
}

/** Every leaf of a command: the command itself, its subcommands, and the subcommands of its groups. */
function leaves(options: readonly APIApplicationCommandOption[], prefix = ""): { subcommand?: string; options: readonly APIApplicationCommandOption[] }[] {
  const nested = options.filter((o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup);
  if (nested.length === 0) return [{ ...(prefix && { subcommand: prefix }), options }];
  return nested.flatMap((o) => leaves("options" in o ? ((o.options ?? []) as APIApplicationCommandOption[]) : [], prefix ? `${prefix} ${o.name}` : o.name));
}

// Built lazily: USER and ROLE options pick from users and roles created once the fake is up.
const invocations = () =>
  fc.oneof(
    ...commands.flatMap((command) =>
      leaves(command.data.options ?? []).map((leaf) =>
        optionsArbitrary(leaf.options).map((options) => ({ name: command.data.name, ...(leaf.subcommand && { subcommand: leaf.subcommand }), options })),
      ),
    ),
  );

const needed = (name: string): bigint => BigInt(commands.find((c) => c.data.name === name)?.data.default_member_permissions ?? 0);

describe("fuzzed options on every command", () => {
  it("always answers, never fails unexpectedly", async () => {
    await fc.assert(
      fc.asyncProperty(invocations(), fc.boolean(), fc.boolean(), async (invocation, isLinked, isAdmin) => {
        const handle = await fake.sendCommand({
          guildId,
          ...invocation,
          user: isLinked ? linked : fake.createUser(),
          // Discord delivers a command only to members holding its default_member_permissions (the fake refuses otherwise).
          memberPermissions: (isAdmin ? PermissionFlagsBits.ManageGuild : PermissionFlagsBits.SendMessages) | needed(invocation.name),
        });
        const response = await handle.response;
        if (response.type !== InteractionResponseType.Modal) await handle.reply();
        expect(bot.logs.filter((l) => l["msg"] === "interaction failed")).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });
});
