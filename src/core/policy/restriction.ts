import { arnAccount } from "./principal.js";
import { describeCondition, type ConditionEntry, type NormalizedStatement } from "./statement.js";

export type RestrictionKind = "network" | "source" | "principal" | "organization" | "kms-key" | "userid" | "external-id";

/** A condition that pins who or where a grant applies to (a fixed value of a narrowing key). */
export interface Restriction {
  kind: RestrictionKind;
  entry: ConditionEntry;
  /** Account ids the condition names (aws:SourceAccount values, accounts of aws:PrincipalArn ARNs...). */
  accounts: string[];
  description: string;
}

export interface ConditionAnalysis {
  restrictions: Restriction[];
  /** Conditions that narrow the grant without pinning it ("only with aws:SecureTransport"). */
  qualifiers: string[];
}

/**
 * Keys whose fixed values make a grant non-public in S3's own definition
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status),
 * plus the organization keys (not in AWS's list: S3 may still report IsPublic) and sts:ExternalId for trust policies.
 */
const RESTRICTING_KEYS: Record<string, RestrictionKind> = {
  "aws:sourcearn": "source",
  "aws:sourceaccount": "source",
  "aws:sourceowner": "source",
  "aws:sourcevpc": "network",
  "aws:sourcevpce": "network",
  "aws:principalarn": "principal",
  "aws:principalaccount": "principal",
  "aws:userid": "userid",
  "s3:x-amz-server-side-encryption-aws-kms-key-id": "kms-key",
  "aws:principalorgid": "organization",
  "aws:principalorgpaths": "organization",
  "sts:externalid": "external-id",
};
const MATCHING_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"]);
const NEGATED_OPERATORS = new Set(["stringnotequals", "stringnotequalsignorecase", "stringnotlike", "arnnotequals", "arnnotlike"]);
const OPEN_CIDRS = new Set(["0.0.0.0/0", "::/0", "*"]);
const ACCOUNT_ID = /^\d{12}$/;

/** Wildcards and policy variables make a value non-fixed (AWS Config s3-bucket-public-read-prohibited). */
export function isFixedValue(value: string): boolean {
  return !/[*?]/.test(value) && !value.includes("${");
}

/** Splits a statement's conditions into restrictions (pinning values) and qualifiers. */
export function analyzeConditions(statement: NormalizedStatement): ConditionAnalysis {
  const restrictions: Restriction[] = [];
  const qualifiers: string[] = [];
  for (const entry of statement.conditions) {
    const restriction = parseRestriction(entry, MATCHING_OPERATORS, "ipaddress");
    if (restriction) restrictions.push(restriction);
    else qualifiers.push(describeCondition(entry));
  }
  return { restrictions, qualifiers };
}

/**
 * The restriction a Deny condition imposes on everything it does not deny: `Deny ... StringNotEquals
 * aws:SourceVpce vpce-1` leaves access only through vpce-1. `IfExists` is harmless here (a missing key
 * makes the negated test true, so the request is denied).
 */
export function parseNegatedRestriction(entry: ConditionEntry): Restriction | undefined {
  return parseRestriction(entry, NEGATED_OPERATORS, "notipaddress", true);
}

function parseRestriction(entry: ConditionEntry, operators: Set<string>, ipOperator: string, allowIfExists = false): Restriction | undefined {
  // ForAllValues is true when the request lacks the key, and IfExists on a positive test likewise
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
  if (entry.set === "forallvalues" || (entry.ifExists && !allowIfExists) || entry.values.length === 0) return undefined;
  if (entry.key === "aws:sourceip" && entry.base === ipOperator) {
    if (entry.values.some((cidr) => OPEN_CIDRS.has(cidr))) return undefined;
    return { kind: "network", entry, accounts: [], description: `aws:SourceIp ${entry.values.join(", ")}` };
  }
  const kind = RESTRICTING_KEYS[entry.key];
  if (!kind || !operators.has(entry.base) || !entry.values.every((value) => isFixedValue(value) || isRoleSessionPattern(entry.key, value))) {
    return undefined;
  }
  return { kind, entry, accounts: accountsNamed(entry), description: entry.label.replace(/^\S+ /, "") };
}

/** S3 accepts `aws:userid` "AROLEID:*" (every session of one role) as fixed. */
function isRoleSessionPattern(key: string, value: string): boolean {
  return key === "aws:userid" && /^[A-Z0-9]+:\*$/.test(value);
}

function accountsNamed(entry: ConditionEntry): string[] {
  const accounts = entry.values.map((value) => (ACCOUNT_ID.test(value) ? value : arnAccount(value)));
  return [...new Set(accounts.filter((account): account is string => account !== undefined && ACCOUNT_ID.test(account)))];
}
