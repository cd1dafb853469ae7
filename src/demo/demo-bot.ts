// The real bot as a child process of the playground: `src/main.ts`, exactly `npm start`'s code, run through tsx,
// with every outside service pointed at a fake on loopback and a throw-away data directory; and its slash commands
// registered as `npm run deploy-commands` does. Nothing is read from the developer's environment or .env: the
// child gets an environment of its own (every configuration variable set, blank meaning the default, so dotenv
// never fills one in), and runs in the temporary directory (no .env there).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeDiscord } from "../../test/fakes/discord/index.ts";
import type { FakeMcs } from "../../test/fakes/mcs/index.ts";
import type { FakeSteam } from "../../test/fakes/steam/index.ts";
import { CONFIG_VARIABLES } from "../config.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface BotFakes {
  discord: FakeDiscord;
  steam: FakeSteam;
  mcs: FakeMcs;
}

/** A TCP port free on 127.0.0.1 right now (for the bot's web sidecar, whose URL must be known before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The bot's environment: the fakes' addresses, the data directory and web sidecar, and every other variable of
 * src/config.ts blank. Writes the fake MCS server's certificate into `dir` for FCM_CA_FILE.
 */
export async function botEnvironment(fakes: BotFakes, dir: string, webPort: number): Promise<Record<string, string>> {
  const caFile = join(dir, "fake-mcs-ca.pem");
  await writeFile(caFile, fakes.mcs.ca);
  // Where nothing listens: BattleMetrics and Stripe are not part of the playground, and must not be reached.
  const nowhere = "http://127.0.0.1:9/";
  const blank = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, ""]));
  return {
    PATH: process.env["PATH"] ?? "",
    HOME: process.env["HOME"] ?? dir,
    // Where tsx keeps its compile cache (os.tmpdir()): the same as this process's, so a second start is quick.
    ...(process.env["TMPDIR"] && { TMPDIR: process.env["TMPDIR"] }),
    ...blank,
    NODE_ENV: "development",
    LOG_LEVEL: "info",
    DISCORD_TOKEN: fakes.discord.token,
    DISCORD_APPLICATION_ID: fakes.discord.applicationId,
    DISCORD_REST_URL: fakes.discord.restUrl,
    DISCORD_OAUTH_URL: fakes.discord.restUrl,
    DATA_DIR: join(dir, "data"),
    PUBLIC_BASE_URL: `http://127.0.0.1:${webPort}`,
    WEB_PORT: String(webPort),
    WEB_HOST: "127.0.0.1",
    STEAM_OPENID_ENDPOINT: fakes.steam.endpoint,
    FCM_CHECKIN_URL: fakes.mcs.checkinUrl,
    FCM_MCS_HOST: fakes.mcs.host,
    FCM_MCS_PORT: String(fakes.mcs.port),
    FCM_CA_FILE: caFile,
    BATTLEMETRICS_API_URL: nowhere,
    STRIPE_API_URL: nowhere,
  };
}

/**
 * `script` (relative to the repository) through tsx in a process group of its own, so a Ctrl+C in the terminal
 * reaches only the playground, which then stops it in order. Its output goes to the file descriptor `log`.
 */
export function spawnScript(script: string, env: Record<string, string>, cwd: string, log: number): ChildProcess {
  return spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, script)], { cwd, env, stdio: ["ignore", log, log], detached: true });
}

/** Resolves when the child ends; rejects if it ended with a failure. */
export async function finished(child: ChildProcess, what: string): Promise<void> {
  const [code, signal] = child.exitCode !== null || child.signalCode !== null ? [child.exitCode, child.signalCode] : ((await once(child, "exit")) as [number | null, NodeJS.Signals | null]);
  if (code !== 0) throw new Error(`${what} failed (${signal ?? `exit code ${code}`})`);
}

/** Stops the child with SIGTERM (the bot closes Discord and its database), or SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
