import type { PolicyDocument, Statement } from "../policy-document.js";
import { statementMatchesAction } from "./action.js";
import { appliesToEveryone } from "./public.js";
import { analyzeConditions, type Restriction } from "./restriction.js";
import { describeStatement, normalizeStatements, type NormalizedStatement } from "./statement.js";

export interface CrossAccountStatement {
  index: number;
  sid?: string;
  path: string;
  statement: Statement;
  /** Foreign account ids, `*` (any account) or `organization o-...` (any account of that organization). */
  accounts: string[];
  reason: string;
  /** Conditions that narrow the grant without pinning the accounts. */
  qualifiers: string[];
}

export interface CrossAccountOptions {
  /** Prefix of evidence paths: the attribute holding the document ("policy", "trustPolicy"). */
  basePath?: string;
  /** Only statements allowing at least one of these concrete actions (e.g. sts:AssumeRole). */
  actions?: string[];
  /** Organization ids whose member accounts count as trusted. */
  trustedOrgIds?: string[];
}

/**
 * Allow statements that grant principals outside `accountId` and `trusted`: explicit account, user
 * and role principals, or `*` pinned only by conditions that name other accounts (or pinned by
 * nothing). Service principals, CanonicalUser ids and unique ids of deleted principals are ignored.
 */
export function findCrossAccountStatements(
  document: PolicyDocument, accountId: string, trusted: readonly string[], options: CrossAccountOptions = {},
): CrossAccountStatement[] {
  const own = new Set([accountId, ...trusted]);
  const found: CrossAccountStatement[] = [];
  for (const statement of normalizeStatements(document, options.basePath ?? "policy")) {
    if (statement.effect !== "Allow") continue;
    if (options.actions && !options.actions.some((action) => statementMatchesAction(statement, action))) continue;
    const { restrictions, qualifiers } = analyzeConditions(statement);
    const accounts = foreignAccounts(statement, restrictions, own, new Set(options.trustedOrgIds ?? []));
    if (accounts.length === 0) continue;
    found.push({
      index: statement.index, ...(statement.sid ? { sid: statement.sid } : {}), path: statement.path, statement: statement.raw,
      accounts, reason: `${describeStatement(statement)} grants access to ${accounts.join(", ")}`, qualifiers,
    });
  }
  return found;
}

function foreignAccounts(statement: NormalizedStatement, restrictions: Restriction[], own: Set<string>, trustedOrgs: Set<string>): string[] {
  const named = (statement.principals ?? [])
    .filter((p) => p.kind === "account" && p.accountId !== undefined && !own.has(p.accountId))
    .map((p) => p.accountId!);
  const everyone = appliesToEveryone(statement) ? foreignForEveryone(restrictions, own, trustedOrgs) : [];
  return [...new Set([...named, ...everyone])];
}

/**
 * Conditions are ANDed, so the tightest restriction decides: one naming only our accounts, or a
 * fixed network origin (VPC, endpoint, private CIDR; as Cloud Custodian does), keeps `*` in-account.
 */
function foreignForEveryone(restrictions: Restriction[], own: Set<string>, trustedOrgs: Set<string>): string[] {
  let tightest: string[] = ["*"];
  for (const restriction of restrictions) {
    const foreign = foreignForRestriction(restriction, own, trustedOrgs);
    if (foreign === undefined) continue;
    if (foreign.length === 0) return [];
    if (tightest.includes("*") || foreign.length < tightest.length) tightest = foreign;
  }
  return tightest;
}

/** `undefined`: the restriction does not pin accounts (a KMS key id, an S3 source ARN without account). */
function foreignForRestriction(restriction: Restriction, own: Set<string>, trustedOrgs: Set<string>): string[] | undefined {
  if (restriction.kind === "network") return [];
  if (restriction.kind === "organization") {
    return restriction.entry.values.filter((org) => !trustedOrgs.has(org)).map((org) => `organization ${org}`);
  }
  if (restriction.accounts.length === 0) return undefined;
  return restriction.accounts.filter((account) => !own.has(account));
}
