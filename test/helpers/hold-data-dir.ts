// Child process for the lock test: opens the embedded database in a data directory, writes a row,
// says "ready", and holds it until its stdin closes.
import { openDatabase } from "../../src/db/client.ts";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: hold-data-dir.ts <dir>");
const db = await openDatabase({ kind: "embedded", dataDir });
await db.prisma.user.create({ data: { steamId: "76561198000000042", displayName: "held" } });
process.stdout.write("ready\n");
process.stdin.resume();
process.stdin.on("end", () => void db.close().then(() => process.exit(0)));
