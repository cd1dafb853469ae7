// `npm run demo`: the playground. The real bot (a child process running src/main.ts, as `npm start` does) against
// the fake Discord, a fake Steam sign-in and a simulated Rust server, in a throw-away directory; then a page on
// loopback to see and drive it all. Nothing to configure. Prints one line, the page's URL; the bot's log goes to a
// file in the temporary directory. Ctrl+C (or SIGTERM) stops the page, the bot and the fakes, and removes the directory.
import type { ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PermissionFlagsBits } from "discord-api-types/v10";
import { DEFAULT_MEMBER_PERMISSIONS, FakeDiscord } from "../../test/fakes/discord/index.ts";
import { FakeMcs } from "../../test/fakes/mcs/index.ts";
import { FakeSteam } from "../../test/fakes/steam/index.ts";
import { botEnvironment, finished, freePort, spawnScript, stopChild } from "./demo-bot.ts";
import { startPlayground } from "./playground-server.ts";
import { startSimulatedWorld, type SimulatedWorld } from "./simulated-world.ts";
import { YOU } from "./world-sim-cast.ts";

/** A cold first start compiles the bot through tsx and creates its database: well under this on any machine. */
const READY_TIMEOUT_MS = 180_000;
/** Discord's own heartbeat interval (the fake's default is a test's 250 ms). */
const HEARTBEAT_MS = 41_250;
/** The bot closes in a second or two; its own shutdown steps give up after a few seconds each. */
const SHUTDOWN_LIMIT_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), "rustplus-demo-"));
const logPath = join(dir, "bot.log");
const log = openSync(logPath, "a");

/** What runs, for the shutdown: each part set once started. */
const running: {
  discord?: FakeDiscord; steam?: FakeSteam; mcs?: FakeMcs; world?: SimulatedWorld; children: ChildProcess[]; playground?: { close(): Promise<void> };
} = { children: [] };
let stopping: Promise<never> | undefined;

/** The bot's last log lines, for a failure message. */
function logTail(lines = 25): string {
  try {
    return readFileSync(logPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * The page first, then the bot (it closes Discord and its database while the fakes are still there), then the fakes.
 * Once: a second signal (npm and tsx pass Ctrl+C on as well as the terminal) waits for the first shutdown.
 */
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    let step = "the page";
    // A step that hangs must not keep the terminal: after this long, the rest is cut short (the bot killed).
    setTimeout(() => {
      process.stderr.write(`Stopping took too long (at: ${step}); the bot is killed.\n`);
      removeDir();
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    const quietly = (work: Promise<unknown> | undefined) => work?.catch(() => undefined);
    await quietly(running.playground?.close());
    step = "the bot";
    await Promise.all(running.children.map((child) => stopChild(child)));
    step = "the simulated world";
    await quietly(running.world ? running.world.close() : running.mcs?.close());
    step = "the fake Discord and Steam";
    await Promise.all([quietly(running.steam?.close()), quietly(running.discord?.close())]);
    removeDir();
    process.exit(code);
  })();
  return stopping;
}

function removeDir(): void {
  try {
    closeSync(log);
  } catch {
    // Closed already.
  }
  rmSync(dir, { recursive: true, force: true });
}

function fail(message: string): Promise<never> {
  // Stopping already (the bot's exit is then expected): the shutdown under way ends the process.
  if (stopping) return stopping;
  process.stderr.write(`${message}\nThe bot's last log lines:\n${logTail()}\n`);
  return shutdown(1);
}

// A child left behind if this process ends any other way.
process.on("exit", () => {
  for (const child of running.children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
// SIGHUP too (the terminal closed): the bot runs in a process group of its own and would be left running.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));

try {
  const [discord, steam, mcs] = await Promise.all([FakeDiscord.start({ heartbeatIntervalMs: HEARTBEAT_MS }), FakeSteam.start(), FakeMcs.start()]);
  Object.assign(running, { discord, steam, mcs });
  // The demo user runs the place: an administrator of the guild, and signed in to Steam as "you" in the game.
  const guild = discord.createGuild({ name: "Rust Team" });
  const user = discord.createUser({ username: YOU.name.toLowerCase(), globalName: YOU.name });
  discord.addMember(guild.id, user, DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.Administrator);
  steam.autoApprove = YOU.steamId;

  // The bot and the command registration start first (they take longest); the world is built meanwhile.
  const env = await botEnvironment({ discord, steam, mcs }, dir, await freePort());
  const bot = spawnScript("src/main.ts", env, dir, log);
  const deploy = spawnScript("src/bot/deploy-commands.ts", env, dir, log);
  running.children.push(bot, deploy);
  const botEnded = new Promise<never>((_resolve, reject) => {
    bot.once("exit", (code, signal) => reject(new Error(`The bot stopped (${signal ?? `exit code ${code}`}).`)));
  });
  botEnded.catch(() => undefined); // handled below; never an unhandled rejection meanwhile
  running.world = await startSimulatedWorld({ mcs });

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`The bot did not log in to the fake Discord within ${READY_TIMEOUT_MS / 1000} s.`)), READY_TIMEOUT_MS);
  });
  await Promise.race([Promise.all([discord.waitForReady(), finished(deploy, "Registering the slash commands")]), botEnded, timeout]);
  clearTimeout(timer);

  const playground = await startPlayground({ discord, guildId: guild.id, user, world: running.world });
  running.playground = playground;
  // From now on the bot runs until told to stop.
  botEnded.catch((error: unknown) => void fail((error as Error).message));
  process.stdout.write(`Playground: ${playground.url}\n`);
} catch (error) {
  await fail(`The playground could not start: ${(error as Error).message}`);
}
