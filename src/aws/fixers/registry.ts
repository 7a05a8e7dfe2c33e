import type { Fixer, FixerRegistry } from "../../app/fix-ports.js";
import { denyInsecureTransport, removePublicPolicyStatements } from "./bucket-policy-fixers.js";
import { defineFixer, type FixerEnvironment, type FixerSpec } from "./define-fixer.js";
import { deactivateAccessKey, passwordPolicyBaseline } from "./iam-fixers.js";
import { accountBlockPublicAccess, bucketBlockPublicAccess, defaultEncryption, enableVersioning, removePublicAclGrants } from "./s3-fixers.js";

/** Every fixer; a rule names one by id in its `fix:` field. */
// Specs have different state types; the registry only hands them to defineFixer.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const FIXER_SPECS: readonly FixerSpec<any>[] = [
  bucketBlockPublicAccess, accountBlockPublicAccess, removePublicPolicyStatements, denyInsecureTransport,
  defaultEncryption, enableVersioning, removePublicAclGrants, deactivateAccessKey, passwordPolicyBaseline,
];

/** For the catalog loader: rules may only name these in `fix:`. */
export const FIXER_IDS: ReadonlySet<string> = new Set(FIXER_SPECS.map((spec) => spec.id));

export function createFixerRegistry(env: FixerEnvironment): FixerRegistry {
  const fixers = new Map<string, Fixer>(FIXER_SPECS.map((spec) => [spec.id, defineFixer(spec, env)]));
  return {
    get: (id) => fixers.get(id),
    all: () => [...fixers.values()],
  };
}
