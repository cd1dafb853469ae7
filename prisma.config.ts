// Read by the Prisma CLI. Here it only generates the client; migrations run through our own wasm glue
// (npm run db:*) because the CLI's native schema engine cannot be downloaded offline. Where it can be,
// `prisma migrate deploy` works on the same folder with DATABASE_URL set.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  ...(process.env["DATABASE_URL"] ? { datasource: { url: process.env["DATABASE_URL"] } } : {}),
});
