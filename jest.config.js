/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": [
      "ts-jest",
      { tsconfig: { module: "commonjs", moduleResolution: "node10", ignoreDeprecations: "6.0" }, diagnostics: { warnOnly: false } },
    ],
  },
  testTimeout: 120000,
};
