import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each database test file starts its own database and runs migrations: give it room, not a race.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
