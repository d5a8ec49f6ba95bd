/**
 * The named corpus (edge cases of gvisor-inventory §8.2 and permission rules), run as root
 * and as the unprivileged user: every step's result and the final tree must match the host.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CORPUS } from "./corpus.js";
import { skipHostTests } from "./host-executor.js";
import { Differ } from "./runner.js";
import { ROOT_USER, UNPRIVILEGED_USER } from "./tree.js";

const skip = skipHostTests();

for (const user of [ROOT_USER, UNPRIVILEGED_USER]) {
  describe.skipIf(skip)(`corpus as ${user.name}`, () => {
    let differ: Differ;
    beforeAll(() => {
      differ = Differ.start(user);
    });
    afterAll(async () => {
      await differ.close();
    });

    for (const c of CORPUS) {
      test(c.name, async () => {
        const { report } = await differ.diff(c.ops, `${user.name}: corpus case "${c.name}"`);
        if (report !== "") console.log(report);
        expect(report).toBe("");
      });
    }
  });
}
