import { vfskitVitestConfig } from "../../tooling/config/vitest.shared.js";

export default vfskitVitestConfig({ setupFiles: ["./test/leak-check.setup.ts"] });
