import { describe, expect, it } from "vitest";
import { signupMode, slugFromName } from "@/lib/organizations";
import { signUpInput } from "@/lib/validation/organizations";

describe("a new organization's URL name", () => {
  it("is its name in lower-case letters, digits and single hyphens", () => {
    expect(slugFromName("Bloom & Petal Florists")).toBe("bloom-petal-florists");
    expect(slugFromName("  Crème Brûlée Catering!! ")).toBe("creme-brulee-catering");
    expect(slugFromName("DJ 2000 -- Events")).toBe("dj-2000-events");
  });

  it("is never empty, never ends in a hyphen, and leaves room for a suffix", () => {
    expect(slugFromName("ℵ★")).toBe("org");
    expect(slugFromName("")).toBe("org");
    const long = slugFromName(`${"a".repeat(39)} b`);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.endsWith("-")).toBe(false);
  });
});

describe("sign-up", () => {
  it("is invitation-only unless the installation says open", () => {
    expect(signupMode({})).toBe("invite");
    expect(signupMode({ RINGBEARER_SIGNUP: "invite" })).toBe("invite");
    expect(signupMode({ RINGBEARER_SIGNUP: "yes" })).toBe("invite");
    expect(signupMode({ RINGBEARER_SIGNUP: "open" })).toBe("open");
  });

  it("names each field that needs attention", () => {
    const result = signUpInput.safeParse({
      email: "not an email",
      name: "",
      password: "short",
      confirm: "other",
      organization: " ",
      timeZone: "Mars/Olympus",
    });
    expect(result.success).toBe(false);
    const fields = new Set(result.error?.issues.map((i) => i.path[0]));
    expect([...fields].sort()).toEqual(["confirm", "email", "name", "organization", "password", "timeZone"]);
  });
});
