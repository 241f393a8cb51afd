import { defineConfig } from "drizzle-kit";

// Migrations are generated from db/schema.ts (`npx drizzle-kit generate`) and applied by lib/db/migrate.ts
// on every start and in tests; nobody runs them by hand.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
