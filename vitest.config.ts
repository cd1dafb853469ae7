import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/postgres needs a PostgreSQL server: it runs under npm run test:postgres only.
    exclude: process.env["TEST_DATABASE"] === "postgres" ? [] : ["test/postgres/**"],
    // Each database test file starts its own database and runs migrations: give it room, not a race.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
