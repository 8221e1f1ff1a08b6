import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { environmentVariables } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Classification } from "@/lib/risk";
import { currentValues } from "@/server/values/value-writes";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { approveAs, makeOrg, type TestOrg } from "./support";

/** The error `code`, with a `form` message matching `form` when given. */
export const refusal = (code: string, form?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === code && (!form || form.test((e.fieldErrors?.form ?? []).join(" ")));

export const requestId = (change: { status: string }) => {
  if (change.status !== "requested" || !("requestId" in change)) throw new Error("expected a change request");
  return change.requestId as string;
};

export const variable = (o: TestOrg, name: string, securityClassification: Classification = "confidential") =>
  withContext(o.owner, (tx) =>
    createVariable(tx, o.owner, {
      name,
      variableType: "secret",
      securityClassification,
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  ).then((v) => v.id);

export const variableRow = (tx: Tx, id: string) =>
  tx
    .select()
    .from(environmentVariables)
    .where(eq(environmentVariables.id, id))
    .then((r) => r[0]);

/**
 * An organization with a security reviewer and confidential variables API_KEY and WEBHOOK_SECRET (a production
 * value each, version 1) and SMTP_PASSWORD (none): a production change of them is HIGH and waits for a reviewer.
 */
export async function writePathWorld() {
  const org = await makeOrg();
  const reviewer: TenantContext = await org.member("security_reviewer");
  const ids: Record<string, string> = {};
  for (const name of ["API_KEY", "WEBHOOK_SECRET", "SMTP_PASSWORD"]) ids[name] = await variable(org, name);
  for (const name of ["API_KEY", "WEBHOOK_SECRET"])
    await approveAs(
      org,
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId: ids[name],
          environmentId: org.env.production,
          value: `${name.toLowerCase()}-v1`,
          expectedVersion: 0,
          note: "First production value",
        }),
      ),
    );
  const heads = (env: keyof TestOrg["env"], names: string[]) =>
    withContext(org.owner, (tx) =>
      currentValues(
        tx,
        org.env[env],
        names.map((n) => ids[n]),
      ),
    );
  /** A production value proposal by the owner (HIGH: it waits for a reviewer). */
  const propose = (name: string, value: string, expectedVersion = 0) =>
    withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: ids[name],
        environmentId: org.env.production,
        value,
        expectedVersion,
        note: "Rotate the production value",
      }),
    ).then(requestId);
  return { org, reviewer, ids, heads, propose };
}
