// Runs a TypeScript entry point in a child process, as npm scripts do (through tsx).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function spawnTs(
  script: string,
  args: string[],
  /** `user`: run as another user (uid and gid), e.g. so that file permissions apply to a test run as root. */
  options: { cwd?: string; env?: Record<string, string>; user?: number } = {},
): ChildProcessWithoutNullStreams {
  // tsx resolved from here, not from the child's working directory (which may be anywhere).
  return spawn(process.execPath, ["--import", import.meta.resolve("tsx"), fileURLToPath(new URL(script, `file://${ROOT}`)), ...args], {
    cwd: options.cwd ?? ROOT,
    // Only what the child needs: nothing from the developer's environment (a DATABASE_URL, a token) leaks in.
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", NODE_ENV: "test", WEB_PORT: "0", ...options.env },
    ...(options.user !== undefined && { uid: options.user, gid: options.user }),
  });
}

/** Resolves with the stdout collected so far once a line matching `pattern` appears. */
export async function waitForLine(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (pattern.test(out)) resolve(out);
    });
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before printing ${pattern}: ${out}`)));
  });
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runToEnd(child: ChildProcessWithoutNullStreams): Promise<Finished> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr };
}
