// Waiting on state that moves on its own (sockets, leases, the database), without a clock: the condition is
// checked again on each turn of the event loop until it holds. The test's own timeout bounds the wait.

/** Resolves once `condition` (sync or async) returns true. */
export async function eventually(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
}
