import { and, eq } from "drizzle-orm";
import { withContext } from "@/db/context";
import { environmentVariableValues } from "@/db/schema";
import { orgKeys, orgVault } from "@/db/vault";
import { encryptValue, hmacValue } from "@/lib/crypto";
import { makeOrg, rawSql, type TestOrg } from "./support";

/**
 * An organization at the product's scale for key-rotation tests: `variables` × `environments` values (20
 * development-type environments by default, so writers need no approval), bulk-loaded as the superuser with
 * triggers off, each value sealed under the organization's data key exactly as the app seals it.
 */
export async function scaleOrg(variables: number, environments = 20) {
  const org = await makeOrg();
  const su = rawSql("super");
  try {
    await su.begin(async (t) => {
      await t`set local session_replication_role = replica`;
      await t`insert into environments (organization_id, name, display_name, environment_type)
        select ${org.id}, 'scale-' || lpad(i::text, 2, '0'), 'Scale ' || i, 'development'
          from generate_series(1, ${environments}) i`;
      await t`insert into environment_variables (organization_id, name, variable_type, security_classification, created_by)
        select ${org.id}, 'SCALE_' || lpad(i::text, 6, '0'), 'configuration', 'internal', ${org.owner.userId}
          from generate_series(1, ${variables}) i`;
    });
    const envs = await su<{ id: string }[]>`select id from environments
      where organization_id = ${org.id} and name like 'scale-%' order by name`;
    const vars = await su<{ id: string }[]>`select id from environment_variables
      where organization_id = ${org.id} order by name`;
    const keys = await withContext(org.owner, (tx) => orgKeys(tx, org.id));
    for (const env of envs) {
      const values = vars.map((_v, i) => `value-${i}-${env.id.slice(0, 4)}`);
      const sealed = vars.map((v, i) =>
        encryptValue(keys.dataKey, values[i], {
          organizationId: org.id,
          variableId: v.id,
          environmentId: env.id,
        }),
      );
      const hashes = values.map((v) => hmacValue(keys.hmacKey, v));
      await su.begin(async (t) => {
        await t`set local session_replication_role = replica`;
        await t`insert into environment_variable_values (organization_id, variable_id, environment_id, encrypted_value,
            encryption_key_id, value_hash, created_by)
          select ${org.id}, v, ${env.id}, c, ${keys.dataKeyId}, h, ${org.owner.userId}
            from unnest(${vars.map((v) => v.id)}::uuid[], ${sealed}::text[], ${hashes}::text[]) as t(v, c, h)`;
      });
    }
    // What autovacuum does after a bulk load, so the planner sees the table as it is.
    await su`analyze environment_variable_values`;
    return { org, envIds: envs.map((e) => e.id), varIds: vars.map((v) => v.id) };
  } finally {
    await su.end();
  }
}

/** Decrypts every value of the organization (as its owner) and returns them by `variable:environment`. */
export async function decryptAll(org: TestOrg) {
  return withContext(org.owner, async (tx) => {
    const vault = await orgVault(tx, org.id);
    const rows = await tx
      .select({
        variableId: environmentVariableValues.variableId,
        environmentId: environmentVariableValues.environmentId,
        ciphertext: environmentVariableValues.encryptedValue,
        keyId: environmentVariableValues.encryptionKeyId,
      })
      .from(environmentVariableValues)
      .where(eq(environmentVariableValues.organizationId, org.id));
    const values = new Map<string, string>();
    let undecryptable = 0;
    for (const r of rows) {
      try {
        values.set(
          `${r.variableId}:${r.environmentId}`,
          vault.decryptValue(r, { organizationId: org.id, ...r }),
        );
      } catch {
        undecryptable++;
      }
    }
    return { values, undecryptable, keys: new Set(rows.map((r) => r.keyId)) };
  });
}

/** The version of one value now (0: none). */
export async function versionOf(org: TestOrg, variableId: string, environmentId: string) {
  const [row] = await withContext(org.owner, (tx) =>
    tx
      .select({ version: environmentVariableValues.version })
      .from(environmentVariableValues)
      .where(
        and(
          eq(environmentVariableValues.variableId, variableId),
          eq(environmentVariableValues.environmentId, environmentId),
        ),
      ),
  );
  return row?.version ?? 0;
}
