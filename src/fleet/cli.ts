// `npm run fleet -- <command>`: the operator's view of the fleet and the per-server Rust+ connection caps
// (src/fleet/fleet-commands.ts). Bad input: one line on stderr, exit code 2, before the database is opened.
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { databaseOptions, requireEmbeddedDatabase } from "../db/options.ts";
import { runMain } from "../fatal.ts";
import { fleetStatus, parseFleetArgs, setCap } from "./fleet-commands.ts";

const print = (line: string): void => void process.stdout.write(`${line}\n`);

const command = parseFleetArgs(process.argv.slice(2));
if ("error" in command) {
  process.stderr.write(`${command.error}\n`);
  process.exit(2);
}

await runMain(async () => {
  const config = await loadConfig();
  // A mistyped DATA_DIR would otherwise get a new, empty database: "0 processes", or a cap the bot never reads.
  requireEmbeddedDatabase(config);
  const db = await openDatabase(databaseOptions(config));
  try {
    const defaultCap = config.RUSTPLUS_CONNECTIONS_PER_ADDRESS;
    if (command.kind === "cap") print(await setCap(db.prisma, command, defaultCap));
    else for (const line of await fleetStatus(db.prisma, { ttlMs: config.FLEET_LEASE_TTL_MS, defaultCap })) print(line);
  } finally {
    await db.close();
  }
});
