/**
 * A key rotation run in a process of its own, for the test that kills it mid-way (tests/db/key-rotation-scale):
 * `node --import tsx --conditions=react-server tests/db/rotation-worker.mts <organization> <user> <rotation>`,
 * with DATABASE_URL and RINGBEARER_MASTER_KEY in its environment. Small batches, so there is a "mid-way".
 */
const [organizationId, userId, rotationId] = process.argv.slice(2);
const { runRotation } = await import("@/server/keys/rotation-run");
await runRotation({ organizationId, userId, role: "owner" }, rotationId, { limit: 200 });
process.exit(0);
