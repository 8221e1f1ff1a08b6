/**
 * A destination's browser keys (issue 15): a key sent to browsers is refused in a confidential variable when the
 * destination is saved (the consent runtime would leave it out for a client token anyway: tests/http).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import type { AppError } from "@/lib/errors";
import { destinationCreation } from "@/lib/validation/destinations";
import { createDestination } from "@/server/destinations/destinations";
import { makeOrg, productionSecret, type TestOrg } from "./support";

let org: TestOrg;
beforeAll(async () => {
  org = await makeOrg();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e as AppError,
  );
const creation = (raw: Record<string, unknown>) => destinationCreation.parseAsync(raw);
const posthog = (environment: string, extra: Record<string, unknown> = {}) => ({
  type: "posthog",
  environment,
  name: "Site analytics",
  requiredConsent: ["measurement"],
  enabled: "on",
  ...extra,
});

describe("browser keys", () => {
  it("are refused in a confidential variable: a key sent to browsers must be public or internal", async () => {
    await productionSecret(org, {
      name: "PAYMENTS_SECRET",
      classification: "confidential",
      value: "sk_live_not_for_browsers",
      note: "A confidential key for the browser-key test",
    });
    const input = await creation(posthog("development", { "variables.apiKey": "PAYMENTS_SECRET" }));
    const error = await failure(withContext(org.owner, (tx) => createDestination(tx, org.owner, input)));
    expect(error.fieldErrors).toEqual({
      "variables.apiKey": [
        "PAYMENTS_SECRET is confidential: a key sent to browsers must be kept in a public or internal variable",
      ],
    });
  });
});
