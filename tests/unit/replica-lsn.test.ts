import { describe, expect, it } from "vitest";
import { parseLsn } from "@/db/replica";

describe("WAL positions", () => {
  it("order as the WAL does, across the 32-bit boundary of their halves", () => {
    expect(parseLsn("0/16B3748")).toBe(0x16b3748n);
    expect(parseLsn("1/0") > parseLsn("0/FFFFFFFF")).toBe(true);
    expect(parseLsn("16/B374D848") > parseLsn("16/B374D847")).toBe(true);
  });
});
