import { describe, expect, it } from "vitest";
import { entityTag, expectedVersionOf, matchesIfNoneMatch, versionTag } from "@/lib/etag";

describe("entity tags", () => {
  it("are the same for the same parts and differ for any other", () => {
    const tag = entityTag(["env", "json", "var", "NAME", 3]);
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(entityTag(["env", "json", "var", "NAME", 3])).toBe(tag);
    expect(entityTag(["env", "json", "var", "NAME", 4])).not.toBe(tag);
    expect(entityTag(["env", "dotenv", "var", "NAME", 3])).not.toBe(tag);
    // Parts are kept apart: ["a,b"] is not ["a", "b"].
    expect(entityTag(["a,b"])).not.toBe(entityTag(["a", "b"]));
  });

  it("match If-None-Match lists, weak forms and *, and nothing malformed", () => {
    const tag = '"abc"';
    expect(matchesIfNoneMatch('"abc"', tag)).toBe(true);
    expect(matchesIfNoneMatch('W/"abc"', tag)).toBe(true);
    expect(matchesIfNoneMatch('"x", "abc"', tag)).toBe(true);
    expect(matchesIfNoneMatch("*", tag)).toBe(true);
    expect(matchesIfNoneMatch('"abcd"', tag)).toBe(false);
    expect(matchesIfNoneMatch("abc", tag)).toBe(false);
    expect(matchesIfNoneMatch(null, tag)).toBe(false);
    expect(matchesIfNoneMatch("", tag)).toBe(false);
  });

  it("read a write's expected version from If-Match or If-None-Match: *", () => {
    expect(expectedVersionOf(versionTag(3), null)).toBe(3);
    expect(expectedVersionOf('W/"12"', null)).toBe(12);
    expect(expectedVersionOf("7", null)).toBe(7);
    expect(expectedVersionOf(null, "*")).toBe(0);
    expect(expectedVersionOf(null, null)).toBe("missing");
    expect(expectedVersionOf('"three"', null)).toBe("invalid");
    expect(expectedVersionOf('"1", "2"', null)).toBe("invalid");
    expect(expectedVersionOf(null, '"3"')).toBe("invalid");
    expect(expectedVersionOf(`"${"9".repeat(12)}"`, null)).toBe("invalid");
  });
});
