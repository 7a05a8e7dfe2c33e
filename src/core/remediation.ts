import type { Rule } from "./rule.js";
import type { Resource } from "./snapshot.js";

export const PLACEHOLDERS = ["resource.name", "resource.arn", "resource.accountId", "resource.region", "resource.type"] as const;

export interface RenderedRemediation {
  console: string;
  cli: string;
  terraform: string;
  references: string[];
}

/** Fills `{{resource.*}}` placeholders with the real names; an unknown placeholder is left visible. */
export function renderRemediation(rule: Pick<Rule, "remediation">, resource: Pick<Resource, "name" | "arn" | "accountId" | "region" | "type">): RenderedRemediation {
  const values: Record<string, string> = {
    "resource.name": resource.name,
    "resource.arn": resource.arn,
    "resource.accountId": resource.accountId,
    "resource.region": resource.region,
    "resource.type": resource.type,
  };
  const fill = (text: string) => text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (match, key: string) => values[key] ?? match);
  const { console, cli, terraform, references } = rule.remediation;
  return { console: fill(console), cli: fill(cli), terraform: fill(terraform), references };
}

/** Placeholders used in a rule's remediation that `renderRemediation` cannot fill (for catalog tests). */
export function unresolvedPlaceholders(rule: Pick<Rule, "remediation">): string[] {
  const { console, cli, terraform } = rule.remediation;
  const used = [...`${console}\n${cli}\n${terraform}`.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!);
  return [...new Set(used.filter((key) => !(PLACEHOLDERS as readonly string[]).includes(key)))];
}
