/**
 * The role matrix's expectations: for every server action of the build (keyed `file#export`), who may call it
 * with the fixture its `args` build (fresh for each call), and what anyone else gets. Callers are the admin,
 * security reviewer, on-call, developer and viewer of one organization, an admin of another organization, and a
 * signed-out visitor. Values live in staging unless said otherwise: developers write there, on-call may read and
 * propose, viewers read, security reviewers read no values.
 *
 * A new action without an entry here fails the matrix: decide who may call it, then add it.
 */
import { randomUUID } from "node:crypto";
import { ACCOUNTS } from "./role-matrix/accounts";
import { ADMIN, AUDITORS, type Case, MEMBERS, SIGNED_IN, STAGING_READERS } from "./role-matrix/common";
import { DEPLOYMENTS } from "./role-matrix/deployments";
import { DESTINATIONS } from "./role-matrix/destinations";
import { GOVERNANCE } from "./role-matrix/governance";
import { INTEGRATIONS } from "./role-matrix/integrations";
import { KEYS } from "./role-matrix/keys";
import { VALUES } from "./role-matrix/values";
import type { Caller, World } from "./role-matrix-world";

export type { Outcome } from "./role-matrix/common";

/** Every server action of the build, keyed `file#export`. */
export const CASES: Record<string, Case> = {
  ...VALUES,
  ...GOVERNANCE,
  ...DEPLOYMENTS,
  ...DESTINATIONS,
  ...INTEGRATIONS,
  ...KEYS,
  ...ACCOUNTS,
};

/** API routes (GET), with who may read them; `path` fills the template for the matrix's organization. */
export const ROUTES: Record<
  string,
  {
    allowed: readonly Caller[];
    path: (w: World) => string;
    public?: boolean;
    /** The machine API: a session is no credential there; every caller without a token gets 401 token_invalid. */
    token?: boolean;
    /** The machine API called with a person's session: refusals are problem+json (`unauthorized`, `forbidden`). */
    person?: boolean;
    /** Not GET: the method the matrix sends (the route has no GET). */
    method?: "DELETE" | "PUT" | "POST";
    /** What an allowed caller gets, when not 200 (e.g. 404 for an id that names nothing). */
    allowedStatus?: number;
  }
> = {
  "/api/health": { allowed: [...SIGNED_IN, "anonymous"], path: () => "/api/health", public: true },
  "/api/health/environments": {
    allowed: MEMBERS,
    path: (w) => `/api/health/environments?org=${w.org.slug}`,
  },
  "/api/o/[org]/matrix": { allowed: MEMBERS, path: (w) => `/api/o/${w.org.slug}/matrix?offset=0&limit=10` },
  "/api/o/[org]/events": { allowed: MEMBERS, path: (w) => `/api/o/${w.org.slug}/events` },
  // The operator console's alerts stream: installation operators only, and none of the callers is one.
  "/api/ops/events": { allowed: [], path: () => "/api/ops/events" },
  // One's own data: anyone signed in, a member of another organization included.
  "/api/account/export": { allowed: SIGNED_IN, path: () => "/api/account/export" },
  // The organization's configuration: settings:manage (owners and admins).
  "/api/o/[org]/export": { allowed: ADMIN, path: (w) => `/api/o/${w.org.slug}/export` },
  // The sealed values export: owners and admins; sent no body, the admin is told it needs a passphrase.
  "/api/o/[org]/export/values": {
    allowed: ADMIN,
    method: "POST",
    allowedStatus: 422,
    path: (w) => `/api/o/${w.org.slug}/export/values`,
  },
  "/api/o/[org]/audit/export": {
    allowed: AUDITORS,
    path: (w) => `/api/o/${w.org.slug}/audit/export?format=csv`,
  },
  "/api/o/[org]/audit/activity": { allowed: AUDITORS, path: (w) => `/api/o/${w.org.slug}/audit/activity` },
  "/api/o/[org]/environments/[id]/export": {
    allowed: STAGING_READERS,
    path: (w) => `/api/o/${w.org.slug}/environments/${w.org.env.staging}/export?format=env`,
  },
  // The machine API with a person's session: the console's own checks (a token's are the machine tests').
  "/api/v1/environments/[name]/values": {
    allowed: STAGING_READERS,
    path: (w) => `/api/v1/environments/staging/values?org=${w.org.slug}`,
    person: true,
  },
  "/api/v1/environments": {
    allowed: MEMBERS,
    path: (w) => `/api/v1/environments?org=${w.org.slug}`,
    person: true,
  },
  "/api/v1/whoami": { allowed: [], path: () => "/api/v1/whoami", token: true },
  // A provider's webhook: open to anyone, authenticated by its signature; an id that names nothing is 404 to all.
  "/api/v1/integrations/[id]/webhook": {
    allowed: [...SIGNED_IN, "anonymous"],
    method: "POST",
    allowedStatus: 404,
    path: () => "/api/v1/integrations/00000000-0000-4000-8000-000000000000/webhook",
    public: true,
  },
  // The OAuth callback: an admin with a state that names nothing is sent back with the refusal (303).
  "/api/v1/integrations/oauth/callback": {
    allowed: ADMIN,
    allowedStatus: 303,
    path: (w) => `/api/v1/integrations/oauth/callback?code=x&state=${w.org.slug}~unknown`,
  },
  "/api/v1/destinations": {
    allowed: [],
    path: () => "/api/v1/destinations?environment=staging",
    token: true,
  },
  // `ringbearer login`: open to anyone by design (device authorization); sent no body, every caller is told why.
  "/api/v1/cli/login": {
    allowed: [...SIGNED_IN, "anonymous"],
    method: "POST",
    allowedStatus: 422,
    path: () => "/api/v1/cli/login",
    public: true,
  },
  "/api/v1/cli/login/token": {
    allowed: [...SIGNED_IN, "anonymous"],
    method: "POST",
    allowedStatus: 422,
    path: () => "/api/v1/cli/login/token",
    public: true,
  },
  // A key that names nothing: readers are told it is not there, everyone else is refused first.
  "/api/v1/environments/[name]/values/[key]": {
    allowed: STAGING_READERS,
    allowedStatus: 404,
    path: (w) => `/api/v1/environments/staging/values/SOME_KEY?org=${w.org.slug}`,
    person: true,
  },
  "/api/v1/environments/[name]/drift": {
    allowed: MEMBERS,
    path: (w) => `/api/v1/environments/staging/drift?org=${w.org.slug}`,
    person: true,
  },
  "/api/v1/environments/[name]/health": {
    allowed: MEMBERS,
    path: (w) => `/api/v1/environments/staging/health?org=${w.org.slug}`,
    person: true,
  },
  "/api/v1/variables": { allowed: MEMBERS, path: (w) => `/api/v1/variables?org=${w.org.slug}`, person: true },
  "/api/v1/variables/[key]": {
    allowed: MEMBERS,
    allowedStatus: 404,
    path: (w) => `/api/v1/variables/SOME_KEY?org=${w.org.slug}`,
    person: true,
  },
  "/api/v1/openapi.json": {
    allowed: [...SIGNED_IN, "anonymous"],
    path: () => "/api/v1/openapi.json",
    public: true,
  },
  "/api/v1/tokens": {
    allowed: ADMIN,
    path: (w) => `/api/v1/tokens?org=${w.org.slug}`,
    person: true,
  },
  // Revoking with an id that names no token: admins are told it is not there, everyone else is refused first.
  "/api/v1/tokens/[id]": {
    allowed: ADMIN,
    method: "DELETE",
    allowedStatus: 404,
    path: (w) => `/api/v1/tokens/${randomUUID()}?org=${w.org.slug}`,
    person: true,
  },
  // Encryption keys: owners, admins and security reviewers see them; owners and admins rotate and revoke.
  "/api/v1/keys": {
    allowed: ["admin", "security_reviewer"],
    path: (w) => `/api/v1/keys?org=${w.org.slug}`,
    person: true,
  },
  // Starting a rotation: sent no body (it takes `{}`), an admin is told why (422) and nothing starts. A real
  // start is keys-api.test.ts's: its job would re-encrypt this organization's rows while refusals are watched.
  "/api/v1/keys/rotations": {
    allowed: ADMIN,
    method: "POST",
    allowedStatus: 422,
    path: (w) => `/api/v1/keys/rotations?org=${w.org.slug}`,
    person: true,
  },
  // Revoking a version that names nothing: admins are told it is not there, everyone else is refused first.
  "/api/v1/keys/[id]/revoke": {
    allowed: ADMIN,
    method: "POST",
    allowedStatus: 404,
    path: (w) => `/api/v1/keys/data:${randomUUID()}:1/revoke?org=${w.org.slug}`,
    person: true,
  },
  // The console's icon (app/icon.svg): a static file, for every browser before it signs in.
  "/icon.svg": { allowed: [...SIGNED_IN, "anonymous"], path: () => "/icon.svg", public: true },
  // next-auth's own endpoints (sign-in, session, sign-out) are public by design, tested by the sign-in tests.
  "/api/auth/[...nextauth]": {
    allowed: [...SIGNED_IN, "anonymous"],
    path: () => "/api/auth/providers",
    public: true,
  },
};
