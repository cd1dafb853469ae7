// Shutdown: a step that never finishes is logged and left behind; the steps after it, the database last,
// still run.
import { expect, it } from "vitest";
import { Lifecycle } from "../src/lifecycle.ts";
import { capturedLogger } from "./helpers/logs.ts";

it("a step that hangs does not stop the later steps: each has a deadline", async () => {
  const { logger, logs } = capturedLogger();
  const lifecycle = new Lifecycle(logger, { stepDeadlineMs: 200 });
  const closed: string[] = [];
  lifecycle.add("database", () => void closed.push("database"));
  lifecycle.add("failing", () => Promise.reject(new Error("peer gone")));
  lifecycle.add("web", () => new Promise<void>(() => {})); // a connection that never lets go
  await lifecycle.close("SIGTERM");
  expect(closed).toEqual(["database"]);
  expect(logs.map((l) => l["msg"])).toEqual(["shutting down", "closing web timed out", "error while closing", "closed database", "stopped"]);
});
