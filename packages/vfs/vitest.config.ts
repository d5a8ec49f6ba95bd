import { vfskitVitestConfig } from "../../tooling/config/vitest.shared.js";

// --expose-gc: a regression test checks that finished walks keep nothing reachable.
export default vfskitVitestConfig({ setupFiles: ["./test/leak-check.setup.ts"], execArgv: ["--expose-gc"] });
