// ESLint flat config: the recommended sets only (ESLint core, typescript-eslint,
// and eslint-plugin-office-addins' Office.js rules), no stylistic rules.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import officeAddins from "eslint-plugin-office-addins";
import tseslint from "typescript-eslint";

// The plugin's "recommended" config also turns on prettier formatting and
// brings its own copy of typescript-eslint; take only the rules of its own
// block, minus formatting and what typescript-eslint already sets.
const officeAddinsRules = Object.fromEntries(
  officeAddins.configs.recommended
    .filter((block) => block.plugins?.["office-addins"])
    .flatMap((block) => Object.entries(block.rules ?? {}))
    .filter(([name]) => !name.startsWith("prettier/") && !name.endsWith("no-unused-vars")),
);

const nodeCommonJsGlobals = Object.fromEntries(
  ["require", "module", "exports", "__dirname", "__filename", "process", "console", "Buffer"].map((name) => [name, "readonly"]),
);

export default defineConfig(
  { ignores: ["dist/", "build/", "coverage/", "node_modules/", ".lo-profile/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { "office-addins": officeAddins },
    rules: officeAddinsRules,
  },
  {
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: nodeCommonJsGlobals },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
