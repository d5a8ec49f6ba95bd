// @ts-check
import eslint from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** Packages that must run anywhere JavaScript runs (DESIGN.md D6). */
const corePackages = ["abi", "fspath", "auth", "vfs", "kernfs", "pipefs", "tmpfs", "kernel", "procfs", "sysfs"];

export default defineConfig(
  { ignores: ["**/dist/**", "**/temp/**", "**/.turbo/**", "**/coverage/**", "**/test-results/**"] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "*.mjs", "tooling/scripts/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-syntax": [
        "error",
        { selector: "ExportAllDeclaration", message: "Name every export (STYLE.md 2): no `export *`." },
      ],
    },
  },
  {
    files: corePackages.map((name) => `packages/${name}/**/*.ts`),
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*"], message: "Core packages run anywhere JavaScript runs (DESIGN.md D6)." }] },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "Core packages run anywhere JavaScript runs (DESIGN.md D6)." },
        { name: "Buffer", message: "Use Uint8Array (DESIGN.md D6)." },
        { name: "require", message: "ESM only." },
      ],
    },
  },
  { files: ["**/*.js", "**/*.mjs"], extends: [tseslint.configs.disableTypeChecked] },
  {
    // Node-side code (apps, tooling) may use Node globals; TypeScript (checkJs) checks names there.
    files: ["apps/**/*.{js,mjs}", "tooling/**/*.{js,mjs}"],
    rules: { "no-undef": "off" },
  },
);
