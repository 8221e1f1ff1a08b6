import { describe, expect, it } from "vitest";
import { pageWindow, showingWords } from "@/lib/paging";
import { pageNumber } from "@/lib/search-params";

describe("a list's page", () => {
  it("places rows from–to of the total", () => {
    expect(pageWindow(6, 100, 650)).toMatchObject({ page: 6, pages: 7, offset: 500, from: 501, to: 600 });
    expect(showingWords(pageWindow(6, 100, 650), "variables")).toBe("Showing 501–600 of 650 variables");
    expect(showingWords(pageWindow(1, 100, 1234), "variables")).toBe("Showing 1–100 of 1,234 variables");
  });

  it("shows the last page for a page past the end, and page 1 of an empty list", () => {
    expect(pageWindow(99, 100, 650)).toMatchObject({ page: 7, offset: 600, from: 601, to: 650 });
    expect(pageWindow(3, 100, 0)).toMatchObject({ page: 1, pages: 1, offset: 0, from: 0, to: 0 });
  });

  it("reads the page number from the URL, refusing anything but a whole number from 1", () => {
    expect(pageNumber("6")).toBe(6);
    for (const bad of [undefined, "", "0", "-1", "1.5", "abc", "1e3", "9999999", ["2", "3"]])
      expect(pageNumber(bad)).toBe(1);
  });
});
