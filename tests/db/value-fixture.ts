import { withContext } from "@/db/context";
import { AppError } from "@/lib/errors";
import { revealValue, setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { approveAs, makeOrg, type TestOrg } from "./support";

export const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

type Env = keyof TestOrg["env"];

/**
 * A fresh organization with three variables and their staging values, plus helpers that name variables
 * and environments instead of ids: STRIPE_SECRET_KEY (api_key, required), FEATURE_CHECKOUT (feature_flag),
 * SESSION_SECRET (secret, pattern ^[a-z]{8,}$).
 */
export async function valueFixture() {
  const org = await makeOrg();
  const ids: Record<string, string> = {};
  const variable = async (
    name: string,
    variableType: "api_key" | "feature_flag" | "secret" | "database_url",
    extra: { validationPattern?: string; isRequired?: boolean } = {},
  ) => {
    const row = await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        name,
        variableType,
        securityClassification: "confidential",
        isRequired: extra.isRequired ?? false,
        isWeddingCritical: false,
        validationPattern: extra.validationPattern,
        tags: [],
      }),
    );
    ids[name] = row.id;
    return row.id;
  };
  // Production values of these confidential variables are HIGH changes: a reviewer approves them. A value refused
  // with "try again" (its pattern could not be proved in time: the suite's earlier files keep the checker busy
  // on a loaded machine) is saved again, as a person would; any other refusal names its fields.
  const save = (name: string, env: Env, value: string, expectedVersion: number) =>
    withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: ids[name],
        environmentId: org.env[env],
        value,
        expectedVersion,
        ...(env === "production" ? { note: "Production value for the test" } : {}),
      }),
    );
  const set = async (name: string, env: Env, value: string, expectedVersion = 0) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await approveAs(org, await save(name, env, value, expectedVersion));
      } catch (error) {
        const fields = error instanceof AppError ? JSON.stringify(error.fieldErrors ?? {}) : "";
        if (attempt < 10 && /try again/.test(fields)) {
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        if (fields && error instanceof Error) error.message += ` ${fields}`;
        throw error;
      }
    }
  };
  const reveal = (name: string, env: Env) =>
    withContext(org.owner, (tx) =>
      revealValue(tx, org.owner, { variableId: ids[name], environmentId: org.env[env] }),
    ).then((r) => r.value);

  await variable("STRIPE_SECRET_KEY", "api_key", { isRequired: true });
  await variable("FEATURE_CHECKOUT", "feature_flag");
  await variable("SESSION_SECRET", "secret", { validationPattern: "^[a-z]{8,}$" });
  await set("STRIPE_SECRET_KEY", "staging", "sk_test_51Hstagingkey0000");
  await set("FEATURE_CHECKOUT", "staging", "true");
  await set("SESSION_SECRET", "staging", "stagingsecret");
  return { org, ids, variable, set, reveal };
}
