import "server-only";
import { lockStatus } from "@/db/repos/protection";
import { listEnvironments } from "@/db/repos/variables";
import { type Control, pushControl, valueChangeControl } from "@/lib/controls";
import { valueAccess } from "@/server/values/value-access";
import type { Member } from "./session";

export type EnvironmentControls = { valueChange: Control; push: Control };

/**
 * What the caller may do in each environment now, for the pages that offer value changes or pushes (matrix,
 * compare, drift, import): the caller's permission there, who may propose, and the wedding-hours lock with
 * until when — the rules the value gate and the push apply (lib/controls.ts).
 */
export async function environmentControls(member: Member): Promise<Map<string, EnvironmentControls>> {
  const [envs, access, lock] = await Promise.all([
    listEnvironments(member),
    valueAccess(member, null),
    lockStatus(member),
  ]);
  return new Map(
    envs.map((e) => {
      const input = {
        role: member.role,
        permission: access[e.id]?.permission ?? "none",
        environment: e.name,
        lock: e.locked && lock.until ? { until: lock.until, timeZone: lock.timeZone } : null,
        emergency: e.emergency,
        emergencyGrant: access[e.id]?.emergency ?? false,
      } as const;
      return [e.id, { valueChange: valueChangeControl(input), push: pushControl(input) }];
    }),
  );
}
