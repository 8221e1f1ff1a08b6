import { sql } from "drizzle-orm";
import { environments } from "@/db/schema";

/** Environments in promotion order (development → testing → staging → production → DR), then by name. */
export const byTier = [
  sql`case ${environments.environmentType} when 'development' then 1 when 'testing' then 2 when 'staging' then 3 when 'production' then 4 else 5 end`,
  environments.name,
] as const;
