import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organizationValueVersions } from "@/db/schema";

/** The organization's value version (0029): it changes with every statement that writes values or variables. */
export async function organizationValueVersion(tx: Tx, organizationId: string): Promise<number> {
  const [row] = await tx
    .select({ version: organizationValueVersions.version })
    .from(organizationValueVersions)
    .where(eq(organizationValueVersions.organizationId, organizationId));
  return row?.version ?? 0;
}
