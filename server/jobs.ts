import { getDb } from "@/db/client";
import { purgeAllOrganizations } from "@/db/mutations/purge";
import { log } from "./log";

const SIX_HOURS = 6 * 60 * 60 * 1000;

/** Background jobs of the server process: the purge of variables deleted 90+ days ago, every six hours. */
export function startJobs() {
  const purge = async () => {
    try {
      const result = await purgeAllOrganizations(getDb());
      if (result.purged > 0)
        log.info({ event: "purge", ...result }, "purged deleted variables past retention");
    } catch (error) {
      log.error({ err: error }, "purge job failed; it runs again in six hours");
    }
  };
  setTimeout(purge, 60_000).unref();
  setInterval(purge, SIX_HOURS).unref();
}
