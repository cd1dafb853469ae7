// Startup problems a person must fix: printed as plain lines, never as a stack trace.
import { ConfigError } from "./config.ts";
import { SecretError } from "./db/crypto.ts";
import { DataDirLockedError } from "./db/data-dir-lock.ts";
import { EnvironmentError } from "./environment-errors.ts";
import { SchemaEngineError } from "./db/schema-engine.ts";

const EXPECTED = [ConfigError, SecretError, DataDirLockedError, SchemaEngineError];

export function exitWithProblems(lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(1);
}

/** Runs an entry point; an expected failure ends the process with its message, an unexpected one with a stack. */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError) exitWithProblems(error.problems.map((p) => `Configuration error: ${p}`));
    if (error instanceof EnvironmentError) exitWithProblems([`Configuration error: ${error.message}`]);
    if (EXPECTED.some((type) => error instanceof type)) exitWithProblems([`Error: ${(error as Error).message}`]);
    throw error;
  }
}

