import { inject } from "vitest";

// The app's own code reads these, exactly as in production.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.DATABASE_OWNER_URL = inject("ownerUrl");
process.env.RINGBEARER_MASTER_KEY = inject("masterKey");
