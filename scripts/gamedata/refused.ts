// Why the game-data build refuses: one line for the operator, naming the file and what is wrong (no stack).
import type { z } from "zod";

/** A reason to write nothing; the build prints its message as one line and exits 1. */
export class RefusedError extends Error {
  override name = "RefusedError";
}

/** The first few zod issues as "path: message; …" on one line ("(top level)" for the root). */
export function describeIssues(error: z.ZodError, max = 3): string {
  const issues = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join(".") : "(top level)"}: ${i.message}`);
  const more = error.issues.length > max ? `; and ${error.issues.length - max} more` : "";
  return `${issues.join("; ")}${more}`.replace(/\s*\n\s*/g, " ");
}
