import type { AttachedPolicy, PolicyDetail, Tag } from "@aws-sdk/client-iam";
import type { PolicyDocument } from "../core/policy-document.js";
import { AwsResponseFormatError } from "./errors.js";
import { parsePolicyDocument } from "./parse-policy-document.js";

export const IAM_REGION = "global";

/** A resource the mapper had to leave out or degrade, with why (becomes a coverage error). */
export interface MappingProblem {
  resource: string;
  message: string;
}

export interface Mapped<T> {
  resources: T[];
  problems: MappingProblem[];
}

export function requireIso(date: Date | undefined, where: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new AwsResponseFormatError(`${where}: missing or invalid date`);
  return date.toISOString();
}

export function requireString(value: string | undefined, where: string): string {
  if (value === undefined || value === "") throw new AwsResponseFormatError(`${where}: missing field`);
  return value;
}

export function mapTags(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
}

export function mapAttachedPolicies(list: AttachedPolicy[] | undefined): { name: string; arn: string }[] {
  return (list ?? []).map((p) => ({ name: p.PolicyName ?? "", arn: p.PolicyArn ?? "" }));
}

export function mapInlinePolicies(list: PolicyDetail[] | undefined, owner: string): { name: string; document: PolicyDocument }[] {
  return (list ?? []).map((p) => ({
    name: requireString(p.PolicyName, `${owner} inline policy`),
    document: parsePolicyDocument(requireString(p.PolicyDocument, `${owner} inline policy ${p.PolicyName}`), `${owner} inline policy ${p.PolicyName}`),
  }));
}

/**
 * Maps each item, keeping the ones that map and reporting the others: one malformed entity must not
 * hide the rest, and it is never emitted half-filled.
 */
export function mapEach<I, O>(items: readonly I[], arnOf: (item: I) => string | undefined, map: (item: I) => O): Mapped<O> {
  const resources: O[] = [];
  const problems: MappingProblem[] = [];
  for (const item of items) {
    try {
      resources.push(map(item));
    } catch (error) {
      problems.push({ resource: arnOf(item) ?? "(no arn)", message: (error as Error).message });
    }
  }
  return { resources, problems };
}
