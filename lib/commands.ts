import { z } from "zod";
import { policyGrant, roleChange } from "./validation/access";
import { environmentInput } from "./validation/environments";
import { safeString, versionNumber } from "./validation/fields";
import { protectionRef, timeZoneInput } from "./validation/settings";
import { targetCreation, targetSettings } from "./validation/targets";
import { variableInput } from "./validation/variables";

/**
 * Typed deferred commands: a HIGH or CRITICAL console change waits in a change request as a command name and its
 * payload. Each payload schema is built from the schema the direct action parses its input with (lib/validation),
 * so an approved request is checked again, exactly as the form was, before it runs. The stored shapes are the
 * ones kept since deferred changes exist (migration 0013): requests made before this check still apply.
 */
const id = z.uuid();

export const DEFERRED_COMMANDS = {
  "variable:update": z.object({ id, expectedVersion: versionNumber(), input: variableInput }),
  "variable:delete": z.object({ id, expectedVersion: versionNumber() }),
  "variable:restore": z.object({ id }),
  "environment:update": z.object({ id, expectedVersion: versionNumber(1), input: environmentInput }),
  "protection:remove": protectionRef,
  "policy:grant": policyGrant,
  "member:role": roleChange.extend({ from: roleChange.shape.role }),
  "target:update": z.object({ input: targetSettings }),
  "target:create": z.object({
    id,
    input: targetCreation,
    secretSealed: safeString(2000).min(1),
    encryptionKeyId: safeString(100).min(1),
    secretGiven: z.boolean(),
  }),
  "settings:time_zone": timeZoneInput.pick({ timeZone: true }),
  "destination:delete": z.object({ id, version: versionNumber(1) }),
  "integration:delete": z.object({ id, version: versionNumber(1) }),
} as const;

export type DeferredCommandName = keyof typeof DEFERRED_COMMANDS;
export type DeferredCommand = {
  [K in DeferredCommandName]: { name: K; payload: z.output<(typeof DEFERRED_COMMANDS)[K]> };
}[DeferredCommandName];

export const isDeferredCommand = (name: string): name is DeferredCommandName =>
  Object.hasOwn(DEFERRED_COMMANDS, name);

/** Keys of `raw` (deeply) that the schema did not keep: a field nobody asked for is refused, not dropped. */
export function unknownKeys(raw: unknown, parsed: unknown, path = ""): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed))
    return raw.flatMap((r, i) => unknownKeys(r, parsed[i], `${path}[${i}]`));
  if (!isPlainObject(raw) || !isPlainObject(parsed)) return [];
  return Object.keys(raw).flatMap((k) =>
    Object.hasOwn(parsed, k)
      ? unknownKeys(raw[k], parsed[k], path ? `${path}.${k}` : k)
      : [path ? `${path}.${k}` : k],
  );
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The row a command acts on, which a request names in its `resource_id` (null where it names none). */
export function commandResource(command: DeferredCommand, organizationId: string): string | null {
  switch (command.name) {
    case "variable:update":
    case "variable:delete":
    case "variable:restore":
    case "environment:update":
    case "protection:remove":
    case "target:create":
    case "destination:delete":
    case "integration:delete":
      return command.payload.id;
    case "target:update":
      return command.payload.input.id;
    case "settings:time_zone":
      return organizationId;
    case "policy:grant":
    case "member:role":
      return null;
  }
}

export type CommandCheck = { ok: true; command: DeferredCommand } | { ok: false; problem: string };

/**
 * Checks a stored command as the direct action checks its input: a known name, a payload its schema accepts
 * (async: a validation pattern is proved safe in a worker), no field beyond the schema's, and the row the
 * request names. Never returns the payload's values in a problem: only paths and the schema's messages.
 */
export async function checkCommand(
  name: string,
  payload: unknown,
  request: { resourceId: string | null; organizationId: string },
): Promise<CommandCheck> {
  if (!isDeferredCommand(name))
    return { ok: false, problem: `unknown command ${JSON.stringify(name.slice(0, 40))}` };
  const parsed = await DEFERRED_COMMANDS[name].safeParseAsync(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, problem: `${first.path.join(".") || "payload"}: ${first.message}` };
  }
  const extra = unknownKeys(payload, parsed.data);
  if (extra.length > 0) return { ok: false, problem: `unexpected field ${extra[0]}` };
  const command = { name, payload: parsed.data } as DeferredCommand;
  if (commandResource(command, request.organizationId) !== request.resourceId)
    return { ok: false, problem: "the payload acts on another row than the request names" };
  return { ok: true, command };
}
