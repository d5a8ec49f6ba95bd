import { vfskitVitestConfig } from "../../tooling/config/vitest.shared.js";

export default vfskitVitestConfig();
