/**
 * Stops the embedded PostgreSQL when the process that started it is gone (`npm start` or a db script
 * killed with -9 cannot stop it itself): started by scripts/local-db.mts with the postmaster's pid. It
 * asks for a fast shutdown (SIGINT: sessions are ended, nothing is lost), then an immediate one after 5 s.
 * It ends by itself once the postmaster is gone.
 */
import { scriptArgs, watchParent } from "./parent-watch.mts";

const postmaster = Number(scriptArgs()[0]);
if (!Number.isInteger(postmaster) || postmaster <= 1) process.exit(2);

const alive = () => {
  try {
    process.kill(postmaster, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};
const signal = (name: NodeJS.Signals) => {
  try {
    process.kill(postmaster, name);
  } catch {}
};

// Interrupts from a terminal reach the whole process group; the parent handles them and stops PostgreSQL.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});

const gone = setInterval(() => {
  if (!alive()) process.exit(0);
}, 500);

watchParent(() => {
  clearInterval(gone);
  signal("SIGINT");
  const started = Date.now();
  const wait = setInterval(() => {
    if (!alive()) process.exit(0);
    if (Date.now() - started > 5_000) {
      signal("SIGQUIT");
      process.exit(0);
    }
  }, 100);
  void wait;
});
