import { inject } from "vitest";

// The app's own code reads these, exactly as in production.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.DATABASE_OWNER_URL = inject("ownerUrl");
process.env.DATABASE_MONITOR_URL = inject("monitorUrl");
process.env.RINGBEARER_MASTER_KEY = inject("masterKey");
// The test suite's receivers and databases are on loopback, which the outbound policy refuses unless opened;
// tests of the policy itself set it empty.
process.env.RINGBEARER_OUTBOUND_ALLOW = "127.0.0.1,::1,localhost";
