import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

describe("safeNextPath", () => {
  it("keeps same-site relative paths with their query and hash", () => {
    expect(safeNextPath("/datasets")).toBe("/datasets");
    expect(safeNextPath("/datasets/3/images?sort=recall&set=2#top")).toBe("/datasets/3/images?sort=recall&set=2#top");
    expect(safeNextPath("/images/7?sets=1,2")).toBe("/images/7?sets=1,2");
  });

  it.each([
    "//evil.com",
    "//evil.com/datasets",
    "https://evil.com",
    "http://evil.com/",
    "/\\evil.com",
    "\\\\evil.com",
    "/\\/evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.com",
    "datasets",
    " /datasets",
    "",
    "/login",
    "/login?next=/datasets",
    "/x".repeat(2000),
  ])("refuses %j", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });

  it("refuses anything that is not a string, and uses the given fallback", () => {
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(["/datasets"])).toBe("/");
    expect(safeNextPath({ toString: () => "/datasets" })).toBe("/");
    expect(safeNextPath("//evil.com", "/datasets")).toBe("/datasets");
  });

  it("never yields a path a browser would read as another host", () => {
    for (const tricky of ["/%2F%2Fevil.com", "/./evil.com", "/..//evil.com", "/%5Cevil.com", "/.//evil.com"]) {
      const out = safeNextPath(tricky);
      expect(out.startsWith("/")).toBe(true);
      expect(out.startsWith("//")).toBe(false);
      expect(new URL(out, "http://own.test").host).toBe("own.test");
    }
  });
});
