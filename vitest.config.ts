import { defineConfig } from "vitest/config";

// CI (.ci/run) asks for a JSON report as well, to print the plain "N passed, N failed" line.
const jsonReport = process.env.POSTURE_VITEST_JSON;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    pool: "forks",
    reporters: jsonReport ? ["default", "json"] : ["default"],
    outputFile: jsonReport ? { json: jsonReport } : undefined,
  },
});
