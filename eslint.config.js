// Import boundaries of DESIGN section 6: imports point inwards (adapters -> app -> core).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const sideEffectModules = [
  "node:fs", "node:fs/promises", "node:http", "node:https", "node:net", "node:child_process",
  "node:worker_threads", "fs", "fs/promises", "http", "https", "net", "child_process",
  "better-sqlite3", "pino", "node-cron", "nock",
];
const noSideEffects = sideEffectModules.map((name) => ({
  name,
  message: "src/core is pure: no I/O modules (DESIGN section 6). Do the I/O in an adapter and pass data in.",
}));
const restrict = (layers, why) =>
  layers.map((layer) => ({ group: [`**/${layer}/**`, `**/${layer}`, `../${layer}/*`, `./${layer}/*`], message: why }));

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "coverage/", "data/", "bench/.out/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: noSideEffects,
        patterns: [
          ...restrict(["app", "aws", "db", "slack"], "src/core imports nothing outside core (DESIGN section 6)."),
          { group: ["@aws-sdk/*", "@smithy/*", "@slack/*"], message: "src/core is pure: SDKs belong to adapters." },
          { group: ["**/config", "**/config.js", "**/main", "**/main.js", "**/cli", "**/cli.js"], message: "src/core must not read configuration or the environment." },
        ],
      }],
      "no-restricted-globals": ["error",
        { name: "process", message: "src/core takes env and time as arguments." },
        { name: "fetch", message: "src/core does no I/O." }],
      "no-restricted-syntax": ["error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "src/core takes `now` as an argument." },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "src/core takes `now` as an argument." },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: "src/core takes randomness as an argument." }],
    },
  },
  {
    files: ["src/app/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          ...restrict(["aws", "db", "slack"], "src/app declares ports; adapters implement them (DESIGN section 6)."),
          { group: ["@aws-sdk/*", "@smithy/*", "@slack/*", "better-sqlite3"], message: "src/app uses ports, not SDKs." },
        ],
      }],
    },
  },
  {
    files: ["src/aws/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [...restrict(["db", "slack"], "Adapters do not import each other; compose them in main.ts / cli.ts.")],
      }],
    },
  },
  {
    files: ["src/db/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [...restrict(["aws", "slack"], "Adapters do not import each other; compose them in main.ts / cli.ts.")],
      }],
    },
  },
  {
    // Block Kit builders are pure renderers over view models (STYLE habit 10): no I/O, no clock.
    files: ["src/slack/blocks/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: sideEffectModules.map((name) => ({ name, message: "Block Kit builders are pure: render from a view model." })),
        patterns: [
          ...restrict(["aws", "db", "app"], "Block Kit builders take view models, not adapters or use cases."),
          { group: ["@slack/*", "@aws-sdk/*"], allowTypeImports: true, message: "Block Kit builders call no client." },
        ],
      }],
      "no-restricted-globals": ["error", { name: "process", message: "Builders take settings as arguments." }, { name: "fetch", message: "Builders do no I/O." }],
      "no-restricted-syntax": ["error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Builders take `now` as an argument." },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Builders take `now` as an argument." }],
    },
  },
  {
    files: ["src/slack/**/*.ts"],
    ignores: ["src/slack/blocks/**"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [...restrict(["aws", "db"], "Adapters do not import each other; compose them in main.ts / cli.ts.")],
      }],
    },
  },
);
