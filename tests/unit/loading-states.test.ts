import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const APP = path.resolve(__dirname, "../../app");

/**
 * Routes that show nothing while they load, and why. A `loading.tsx` streams the page, so a `redirect()` in
 * it would become a client-side redirect with status 200 instead of a 307: these pages only decide where to
 * send the visitor, from the session, in one quick read.
 */
const WITHOUT_SKELETON: Record<string, string> = {
  "page.tsx": "the home page only redirects to the user's organization or to sign in",
  "(auth)/login/page.tsx": "sign-in redirects a signed-in visitor; the form needs no data",
  "(auth)/signup/page.tsx": "sign-up redirects a signed-in visitor; the form needs no data",
  "organizations/new/page.tsx": "redirects a visitor who is not signed in; the form needs no data",
  "organizations/deleted/page.tsx":
    "redirects a visitor who is not signed in; one quick read of a short list",
  "cli-login/page.tsx":
    "ringbearer login's address only redirects to the approval page of the user's organization",
};

function pages(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) pages(full, out);
    else if (entry.name === "page.tsx") out.push(path.relative(APP, full));
  }
  return out;
}

/** The page's own segment or one above it (inside app/) has a loading.tsx. */
function hasLoading(page: string) {
  for (let dir = path.dirname(path.join(APP, page)); dir.startsWith(APP); dir = path.dirname(dir))
    if (existsSync(path.join(dir, "loading.tsx"))) return true;
  return false;
}

describe("loading states", () => {
  const all = pages(APP);

  it("finds the app's pages", () => {
    expect(all.length).toBeGreaterThan(15);
  });

  it.each(all)("%s shows a skeleton while it loads, or uses Suspense, or says why not", (page) => {
    const source = readFileSync(path.join(APP, page), "utf8");
    const covered = hasLoading(page) || /<Suspense\b/.test(source) || page in WITHOUT_SKELETON;
    expect(covered, `${page}: add a loading.tsx (components/ui/skeleton.tsx) or Suspense boundaries`).toBe(
      true,
    );
  });

  it("keeps no exemption for a page that is gone", () => {
    for (const page of Object.keys(WITHOUT_SKELETON)) expect(all).toContain(page);
  });

  it("gives every skeleton a status for screen readers", () => {
    const skeleton = readFileSync(path.resolve(APP, "../components/ui/skeleton.tsx"), "utf8");
    expect(skeleton).toMatch(/role="status"/);
    expect(skeleton).toMatch(/aria-busy="true"/);
  });
});
