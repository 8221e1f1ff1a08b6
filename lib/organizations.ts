/**
 * Organizations self-service (issue 17): who may sign up, and the URL name a new organization gets. Pure.
 */

/** The installation's sign-up: `invite` (the default: accounts come from invitations) or `open`. */
export type SignupMode = "open" | "invite";
export const signupMode = (env: Record<string, string | undefined> = process.env): SignupMode =>
  env.RINGBEARER_SIGNUP?.trim() === "open" ? "open" : "invite";

/**
 * The organization's slug from its name: lower-case ASCII letters, digits and single hyphens, at most 40
 * characters (room for a suffix), never empty ("org" then). Accents are dropped to their letters.
 */
export function slugFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "org";
}
