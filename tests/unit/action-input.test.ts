import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/server/entry/input";

/** The refusal parseInput throws (it may be sync or async). */
const refusal = async (run: () => unknown) => {
  try {
    await run();
  } catch (error) {
    return error as AppError;
  }
  throw new Error("expected a refusal");
};

describe("the action builder's input check", () => {
  it("refuses NUL and lone surrogates anywhere, even where no schema looks, naming the field", async () => {
    const schema = z.object({ name: z.string() });
    const nested = await refusal(() =>
      parseInput(schema, { name: "ok", extra: { deeper: ["fine", "a\u0000b"] } }),
    );
    expect(nested).toBeInstanceOf(AppError);
    expect(nested.code).toBe("validation");
    expect(nested.fieldErrors).toHaveProperty(["extra.deeper.1"]);
    const form = new FormData(); // (FormData turns lone surrogates into U+FFFD itself; NUL stays)
    form.set("name", "x\u0000");
    expect((await refusal(() => parseInput(schema, form))).fieldErrors).toHaveProperty("name");
    expect((await refusal(() => parseInput(schema, { name: "\udc00" }))).fieldErrors).toHaveProperty("name");
    const key = await refusal(() => parseInput(schema, { name: "ok", "k\u0000": 1 }));
    expect(key.fieldErrors).toHaveProperty("form");
  });

  it("lets everything else through to the schema", async () => {
    expect(await parseInput(z.object({ name: z.string() }), { name: "wedding 💍", other: 1 })).toEqual({
      name: "wedding 💍",
    });
  });
});
