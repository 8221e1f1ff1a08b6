import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` (Unix seconds)
 * and `webhook-signature`, `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the secret's bytes, one per
 * secret in force (a rotation signs with the new and the previous), separated by spaces. The `standardwebhooks`
 * package computes each signature.
 */

export const SECRET_PREFIX = "whsec_";

/** A new signing secret: `whsec_` and 32 random bytes in base64, shown once. */
export const newWebhookSecret = () => `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;

/** Whether a string is a secret of that shape (checked before it is sealed). */
export const isWebhookSecret = (s: string) => /^whsec_[A-Za-z0-9+/]{43}=$/.test(s);

/** The message id sent as `webhook-id`: stable across retries and replays of one event. */
export const messageId = (eventId: string) => `msg_${eventId.replaceAll("-", "")}`;

/** The headers of one attempt: the same id for every attempt of an event, a fresh timestamp, every secret's signature. */
export function signedHeaders(secrets: string[], id: string, body: string, at: Date): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(id, at, body));
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
