import type { FixTarget } from "../../../src/app/fix-ports.js";
import { createAccountClients } from "../../../src/aws/clients.js";
import type { FixerEnvironment } from "../../../src/aws/fixers/define-fixer.js";
import { createFixerRegistry } from "../../../src/aws/fixers/registry.js";
import type { Rule } from "../../../src/core/rule.js";
import { loadCatalog } from "../../../src/rules-files.js";
import { ACCOUNT } from "../nock-aws.js";

export const NOW = new Date("2026-01-15T12:00:00Z");
export const XML = { "content-type": "application/xml" };
export const JSON_TYPE = { "content-type": "application/json" };

const catalog = loadCatalog();

/** A catalog rule with `fix:` set (the rule files get their `fix:` annotations separately). */
export function ruleWithFix(ruleId: string, fixerId: string): Rule {
  const rule = catalog.rules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return { ...rule, fix: fixerId };
}

export function catalogRules(): readonly Rule[] {
  return catalog.rules;
}

/** The fixer registry on static test credentials (standing in for the assumed fixer role), no retries. */
export function testRegistry(options: Partial<FixerEnvironment> = {}) {
  const clients = createAccountClients({
    credentials: async () => ({ accessKeyId: "AKIDFIXER", secretAccessKey: "fixer/secret/EXAMPLEKEY" }),
    homeRegion: "us-east-1",
    maxAttempts: 1,
  }, new Map());
  return createFixerRegistry({ clientsFor: () => clients, ...options });
}

export function bucketTarget(name: string, region = "us-east-1"): FixTarget {
  return { arn: `arn:aws:s3:::${name}`, type: "aws:s3:bucket", accountId: ACCOUNT, region, name };
}

/** GET /?{subresource} (the SDK may add x-id=OperationName). */
export const sub = (key: string) => (query: Record<string, unknown>) => key in query;

/** A request body as text, whatever form nock hands it over in. */
export function bodyText(body: unknown): string {
  return typeof body === "string" ? body : JSON.stringify(body);
}

/**
 * Matches the request body byte for byte. nock parses JSON bodies before calling a function matcher
 * (losing whitespace and key order), but tests a RegExp against the raw text.
 */
export function exactBody(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
}
