import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Files that never touch the test database (they spawn processes with an embedded DATA_DIR of their own): the
// same under npm run test:postgres, so they run under npm test only.
const embeddedOnly = ["test/db/db-move-refusals.test.ts", "test/web/start-web.test.ts"];

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/postgres and the fleets of bot processes sharing one database need a PostgreSQL server: they run under
    // npm run test:postgres only.
    exclude: process.env["TEST_DATABASE"] === "postgres" ? embeddedOnly : ["test/postgres/**", "test/fleet/handover.test.ts"],
    // Each database test file starts its own database and runs migrations: give it room, not a race.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One file per core. Vitest's default leaves a core free (1 worker on CI's 2 cores, every file in turn),
    // while most files spend much of their time waiting on sockets and child processes.
    maxWorkers: availableParallelism(),
  },
});
