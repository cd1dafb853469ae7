// The sidecar against slow and greedy clients, over raw TCP: a client trickling its headers or its body is
// cut off, connections beyond the cap are refused, and close() finishes with a busy client still connected.
// Short limits are passed to startWebServer so nothing waits for the production ones.
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { startWebServer, type HttpLimits } from "../../src/web/server.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

function start(limits: Partial<HttpLimits>) {
  const deps = { config: parseConfig({}), prisma: db.prisma, logger: createLogger({ level: "silent" }), stripe: undefined, notifier: undefined };
  return startWebServer(deps, 0, "127.0.0.1", limits);
}

/** A raw client: `received` resolves with everything the server sent once the connection is closed. */
async function client(port: number): Promise<{ socket: Socket; received: Promise<string>; sees(text: string): Promise<void> }> {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => {}); // a reset after the server cuts us off is the expected end
  let text = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of waiters.filter((w) => text.includes(w.text))) w.resolve();
  });
  const received = once(socket, "close").then(() => text);
  await once(socket, "connect");
  return {
    socket,
    received,
    sees: (wanted) => (text.includes(wanted) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text: wanted, resolve }))),
  };
}

/** Writes `text` one byte per tick of `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs = 20): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && i < text.length) socket.write(text[i++]!);
  }, everyMs);
  return () => clearInterval(timer);
}

/** Headers of a webhook POST whose body the client then holds back: the server answers 100 Continue, so the
 *  request is being handled (its connection busy) from then on. */
const slowPost = "POST /stripe/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 50000\r\nExpect: 100-continue\r\n\r\n";

it("a client trickling its headers byte by byte is cut off with 408", async () => {
  const web = await start({ headersTimeoutMs: 400, requestTimeoutMs: 800, checkIntervalMs: 100 });
  const c = await client(web.port);
  const stop = trickle(c.socket, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${"a".repeat(20_000)}`);
  try {
    expect(await c.received).toMatch(/^HTTP\/1\.1 408/);
  } finally {
    stop();
    await web.close();
  }
});

it("a client trickling its body is cut off with 408 once the request takes too long", async () => {
  const web = await start({ headersTimeoutMs: 400, requestTimeoutMs: 800, checkIntervalMs: 100 });
  const c = await client(web.port);
  c.socket.write(slowPost);
  await c.sees("100 Continue");
  const stop = trickle(c.socket, "{".repeat(50_000));
  try {
    expect(await c.received).toMatch(/HTTP\/1\.1 408/);
  } finally {
    stop();
    await web.close();
  }
});

it("refuses connections beyond the cap and keeps serving the ones it has", async () => {
  const web = await start({ maxConnections: 2 });
  try {
    const accepted = [await client(web.port), await client(web.port)];
    const dropped = once(web.server, "drop");
    const third = await client(web.port);
    await dropped;
    expect(await third.received).toBe("");
    const first = accepted[0]!;
    first.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(await first.received).toMatch(/^HTTP\/1\.1 200/);
    accepted[1]!.socket.destroy();
  } finally {
    await web.close();
  }
});

it("close() finishes with a busy client still connected: it is cut after the grace", async () => {
  const web = await start({ closeGraceMs: 200 });
  const c = await client(web.port);
  c.socket.write(slowPost);
  await c.sees("100 Continue");
  await web.close();
  await c.received;
  expect(c.socket.destroyed).toBe(true);
});
