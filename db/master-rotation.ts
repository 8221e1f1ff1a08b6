import postgres from "postgres";
import { jobRunnerProof, jobRunnerVerifier, keyFingerprint } from "@/lib/crypto";
import {
  firstTokenHashKey,
  installationAad,
  type Keyring,
  openTotpWith,
  orgKeyAad,
  rewrapKey,
  sealTotpWith,
} from "./vault";

/**
 * Master-key (KEK) rotation (issue 16, item 3; `npm run keys:rotate-master`). Everything the master key wraps is
 * rewrapped from the previous key to the current one, as the owner role, without touching a value: the
 * organizations' data and HMAC keys (one transaction and one audit row per organization), the installation keys
 * (0040) and users' TOTP seeds. Each step skips what is already under the current key, so a run that stops
 * half-way is finished by the next. Servers keep working throughout when they hold both keys
 * (RINGBEARER_MASTER_KEY and RINGBEARER_MASTER_KEY_PREVIOUS): each wrapped key names its wrapper's fingerprint.
 */
export type MasterRewrap = {
  organizations: number;
  keys: number;
  installationKeys: number;
  totpSeeds: number;
};

/** What is still wrapped by a master key other than the current one (`--check`): nothing, before it is dropped. */
export type MasterLeftovers = {
  /** Organization and installation keys, by the fingerprint of the master key that wraps them. */
  keys: { fingerprint: string; organizationId: string | null; keyId: string }[];
  /** Users whose TOTP seed the current key does not open. */
  totpSeeds: string[];
  /** The job runner's registration does not match the current key. */
  jobRunner: boolean;
};

const jobVerifier = (kek: Buffer) => jobRunnerVerifier(jobRunnerProof(kek));

const connect = (ownerUrl: string) => postgres(ownerUrl, { max: 1, onnotice: () => {} });

async function requireSchema(sql: postgres.Sql) {
  const [row] = await sql<{ ok: boolean }[]>`
    select exists (select 1 from ringbearer_migrations where tag = '0040_master_key_rotation') as ok`;
  if (!row.ok)
    throw new Error(
      "the database is not migrated to this version of Ringbearer: run `npm run db:migrate` first",
    );
}

export async function rewrapMasterKeys(
  ownerUrl: string,
  ring: Required<Keyring>,
  log: (m: string) => void = () => {},
): Promise<MasterRewrap> {
  const to = keyFingerprint(ring.current);
  const from = keyFingerprint(ring.previous);
  if (to === from) throw new Error("the new master key is the previous one: nothing to rotate");
  const sql = connect(ownerUrl);
  const done: MasterRewrap = { organizations: 0, keys: 0, installationKeys: 0, totpSeeds: 0 };
  try {
    await requireSchema(sql);
    // The token-hash key as it was (derived from the previous key) if the migrator never stored it.
    const first = firstTokenHashKey(ring);
    await sql`insert into installation_keys (purpose, wrapped_key, kek_fingerprint)
      values (${first.purpose}, ${first.wrappedKey}, ${first.kekFingerprint}) on conflict (purpose) do nothing`;
    for (const row of await sql<{ purpose: string; wrapped_key: string }[]>`
        select purpose, wrapped_key from installation_keys where kek_fingerprint = ${from} order by purpose`) {
      const next = rewrapKey(ring, row.wrapped_key, installationAad(row.purpose));
      await sql`update installation_keys set wrapped_key = ${next.wrappedKey}, kek_fingerprint = ${next.kekFingerprint},
        rewrapped_at = now() where purpose = ${row.purpose} and kek_fingerprint = ${from}`;
      done.installationKeys++;
    }
    const orgs = await sql<{ id: string }[]>`
      select distinct organization_id as id from encryption_keys where kek_fingerprint = ${from} order by 1`;
    for (const { id } of orgs) {
      const keyIds = await sql.begin(async (tx) => {
        // The organization's context: its RLS policies let the owner update its keys and append to its audit.
        await tx`select set_config('app.organization_id', ${id}, true)`;
        const rows = await tx<{ key_id: string; wrapped_key: string }[]>`
          select key_id, wrapped_key from encryption_keys
           where organization_id = ${id} and kek_fingerprint = ${from} order by key_id for update`;
        for (const row of rows) {
          const next = rewrapKey(ring, row.wrapped_key, orgKeyAad(id, row.key_id));
          await tx`update encryption_keys set wrapped_key = ${next.wrappedKey}, kek_fingerprint = ${next.kekFingerprint}
            where key_id = ${row.key_id}`;
        }
        if (rows.length > 0)
          await tx`insert into environment_variable_audit
              (organization_id, action, resource_type, change_details, risk_level)
            values (${id}, 'rotate', 'encryption_key',
              ${tx.json({ masterKey: { from, to }, keys: rows.map((r) => r.key_id) })}, 'HIGH')`;
        return rows.map((r) => r.key_id);
      });
      if (keyIds.length > 0) done.organizations++;
      done.keys += keyIds.length;
    }
    done.totpSeeds = await resealTotpSeeds(sql, ring, log);
    await sql`insert into job_runner_keys (id, verifier) values (1, ${jobVerifier(ring.current)})
      on conflict (id) do update set verifier = excluded.verifier, registered_at = now()
      where job_runner_keys.verifier <> excluded.verifier`;
    log(
      `Rewrapped ${done.keys} organization keys of ${done.organizations} organizations, ` +
        `${done.installationKeys} installation keys and ${done.totpSeeds} TOTP seeds (${from} → ${to}).`,
    );
    return done;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function resealTotpSeeds(sql: postgres.Sql, ring: Required<Keyring>, log: (m: string) => void) {
  let count = 0;
  for (const user of await sql<{ id: string; totp_secret: string }[]>`
      select id, totp_secret from users where totp_secret is not null order by id`) {
    if (openTotpWith(ring.current, user.id, user.totp_secret) !== undefined) continue;
    const secret = openTotpWith(ring.previous, user.id, user.totp_secret);
    if (secret === undefined) {
      log(`warning: user ${user.id}'s TOTP seed opens under neither key; left as it is`);
      continue;
    }
    // Only if it is still the seed read: a user re-enrolling meanwhile wrote theirs under the current key.
    const changed = await sql`update users set totp_secret = ${sealTotpWith(ring.current, user.id, secret)}
      where id = ${user.id} and totp_secret = ${user.totp_secret}`;
    count += changed.count;
  }
  return count;
}

export async function masterLeftovers(ownerUrl: string, current: Buffer): Promise<MasterLeftovers> {
  const fingerprint = keyFingerprint(current);
  const sql = connect(ownerUrl);
  try {
    await requireSchema(sql);
    const keys = await sql<{ fingerprint: string; organizationId: string | null; keyId: string }[]>`
      select kek_fingerprint as fingerprint, organization_id as "organizationId", key_id as "keyId"
        from encryption_keys where kek_fingerprint <> ${fingerprint} and key_status <> 'revoked'
      union all
      select kek_fingerprint, null, purpose from installation_keys where kek_fingerprint <> ${fingerprint}
      order by 1, 2, 3`;
    const totpSeeds: string[] = [];
    for (const user of await sql<{ id: string; totp_secret: string }[]>`
        select id, totp_secret from users where totp_secret is not null order by id`) {
      if (openTotpWith(current, user.id, user.totp_secret) === undefined) totpSeeds.push(user.id);
    }
    const [runner] = await sql<{ ok: boolean }[]>`
      select exists (select 1 from job_runner_keys where verifier = ${jobVerifier(current)}) as ok`;
    return { keys: [...keys], totpSeeds, jobRunner: !runner.ok };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
