// Finding a paired server's Steam query port from its Rust+ (app) port. Facepunch's wiki ("Rust+ Server"):
// app.port defaults to max(game port, RCON port) + 67; since February 2023 the query port defaults to
// max(game port, RCON port) + 1 when -queryport is not set (Facepunch wiki "Creating a server", quoted in
// Austinb/GameQ#697). With the usual RCON = game + 1 that is app - 66; with RCON below the game port, app - 67 + 1;
// servers from before 2023 answered on the game port itself (app - 67 or app - 68).
import { A2sError, type A2sAnswer, type A2sQuery } from "./a2s-client.ts";

/** The query ports to try for an app port, most likely first (each within 1–65535, no repeats). */
export function queryPortCandidates(appPort: number): number[] {
  const ports = [66, 67, 65, 68, 64, 69].map((offset) => appPort - offset);
  return [...new Set(ports)].filter((p) => p >= 1 && p <= 65535);
}

/** What the Rust+ side knows of the server, to recognise its answer among neighbouring servers on one host. */
export interface ServerIdentity {
  appPort: number;
  /** Names the server is known by (the pairing's and Rust+ info's). */
  names: readonly string[];
}

/**
 * Whether an answer is from this server: its name matches one the Rust+ side knows (case and surrounding
 * spaces aside), or its EDF game port sits where the app port's default puts it (67 to 100 below).
 */
export function answerMatches(answer: A2sAnswer, identity: ServerIdentity): boolean {
  const name = answer.name.trim().toLowerCase();
  if (name && identity.names.some((n) => n.trim().toLowerCase() === name)) return true;
  if (answer.gamePort === null) return false;
  const gap = identity.appPort - answer.gamePort;
  return gap >= 67 && gap <= 100;
}

/**
 * Tries the candidates in order and returns the first port whose answer is this server's, with that answer;
 * undefined when none answered as this server. Never throws for a port that does not answer.
 */
export async function discoverQueryPort(
  query: A2sQuery,
  ip: string,
  identity: ServerIdentity,
  candidates = queryPortCandidates(identity.appPort),
  /** Checked before each candidate: true stops the search (a shutdown). */
  stopped: () => boolean = () => false,
): Promise<{ port: number; answer: A2sAnswer } | undefined> {
  for (const port of candidates) {
    if (stopped()) return undefined;
    try {
      const answer = await query(ip, port);
      if (answerMatches(answer, identity)) return { port, answer };
    } catch (err) {
      if (!(err instanceof A2sError)) throw err;
    }
  }
  return undefined;
}
