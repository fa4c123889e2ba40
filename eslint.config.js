// ESLint flat config: typescript-eslint with type information, the house-style limits
// (complexity 10, max-depth 3, max-params 4, no floating promises, explicit return types on
// exports) and the local layering rule.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import layering from "./tools/eslint-layering.js";

export default tseslint.config(
  { ignores: ["node_modules/", "coverage/", "dist/", "charts/", "definitions/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { flotilla: layering },
    rules: {
      "flotilla/layering": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/explicit-module-boundary-types": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      complexity: ["error", 10],
      "max-depth": ["error", 3],
      "max-params": ["error", 4],
    },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      "@typescript-eslint/explicit-module-boundary-types": "off",
    },
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/explicit-module-boundary-types": "off" },
  },
);
