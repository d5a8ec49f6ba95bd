import { expect, test } from "vitest";
import { runTour } from "./tour.js";

test("the tour shows Linux's answers", () => {
  const lines: string[] = [];
  const steps = runTour((line) => lines.push(line));
  const out = lines.join("\n");
  expect(steps).toBe(10);
  expect(out).toContain("ELOOP: too many symbolic links encountered");
  expect(out).toContain("ENOTDIR");
  expect(out).toContain("ENAMETOOLONG");
  expect(out).toContain("EINVAL");
  expect(out).toContain("EEXIST");
  expect(out).toContain("EBUSY");
  expect(out).toContain("EACCES");
  expect(out).toMatch(/drwx.* nlink=\d+/);
  expect(out).toContain(" / /mnt ");
});
