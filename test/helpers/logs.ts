// A pino logger whose JSON lines the test can read back.
import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/logger.ts";

export function capturedLogger(level = "debug"): { logger: Logger; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level }, sink), logs };
}
