// `npm run probe -- <ip> <port> <steamId> <playerToken> [--timeout-ms N]`: what the bot sees of one Rust+ server,
// as JSON on stdout (info, time, team, map size and monuments, markers by type, each error with its cause).
// Exit 0 when every step answered, 1 when one failed, 2 on bad arguments. The player token is never printed.
import { isIPv4 } from "node:net";
import { probeServer, type ProbeTarget } from "./probe-server.ts";

const USAGE = "usage: npm run probe -- <ip> <port> <steamId> <playerToken> [--timeout-ms N]";
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$/;

/**
 * The target and options, or the one line that says what is wrong (never echoing the token). Hand-parsed, not with
 * util.parseArgs: player tokens are often negative ("-123…") and would be taken for options.
 */
function parseProbeArgs(argv: string[]): { target: ProbeTarget; timeoutMs: number } | { problem: string } {
  const positionals: string[] = [];
  let timeout = "10000";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--timeout-ms") timeout = argv[++i] ?? "";
    else if (arg.startsWith("--timeout-ms=")) timeout = arg.slice("--timeout-ms=".length);
    else if (/^--?[A-Za-z]/.test(arg)) return { problem: `unknown option ${arg.split("=")[0]}; ${USAGE}` };
    else positionals.push(arg);
  }
  const [ip, port, steamId, token, ...extra] = positionals;
  if (token === undefined || extra.length) return { problem: `expected 4 arguments, got ${positionals.length}; ${USAGE}` };
  if (!isIPv4(ip!) && !HOSTNAME.test(ip!)) return { problem: `the ip must be an IPv4 address or a host name; ${USAGE}` };
  if (!/^\d{1,5}$/.test(port!) || Number(port) < 1 || Number(port) > 65_535) return { problem: `the port must be a whole number from 1 to 65535; ${USAGE}` };
  if (!/^7656\d{13}$/.test(steamId!)) return { problem: `the Steam id must be 17 digits starting with 7656; ${USAGE}` };
  if (!/^-?\d{1,10}$/.test(token) || Number(token) < -(2 ** 31) || Number(token) >= 2 ** 31) {
    return { problem: `the player token must be a whole number in the 32-bit range (as in the pairing: playerToken); ${USAGE}` };
  }
  if (!/^\d{1,7}$/.test(timeout) || Number(timeout) < 100) return { problem: `--timeout-ms must be a whole number of milliseconds from 100; ${USAGE}` };
  return { target: { ip: ip!, port: Number(port), steamId: steamId!, playerToken: Number(token) }, timeoutMs: Number(timeout) };
}

const args = parseProbeArgs(process.argv.slice(2));
if ("problem" in args) {
  process.stderr.write(`probe: ${args.problem}\n`);
  process.exitCode = 2;
} else {
  const report = await probeServer(args.target, { timeoutMs: args.timeoutMs });
  const { errors, ...seen } = report;
  process.stdout.write(`${JSON.stringify({ ...seen, errors }, null, 2)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}
