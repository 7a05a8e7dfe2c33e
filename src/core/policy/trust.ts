import type { PolicyDocument, Statement } from "../policy-document.js";
import { statementMatchesAction } from "./action.js";
import { findCrossAccountStatements, type CrossAccountStatement } from "./cross-account.js";
import { appliesToEveryone } from "./public.js";
import { analyzeConditions, isFixedValue } from "./restriction.js";
import { describeStatement, normalizeStatements, type ConditionEntry, type NormalizedStatement } from "./statement.js";

export const ASSUME_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"];

export interface OpenTrustStatement {
  index: number;
  sid?: string;
  path: string;
  statement: Statement;
  reason: string;
}

/** Keys that pin who may assume a role opened to `*` (a fixed value of any of them). */
const TRUST_RESTRICTIONS = new Set(["external-id", "organization", "principal", "source"]);
const GITHUB = "token.actions.githubusercontent.com";

/**
 * Trust statements that let anyone assume the role: `*` / {"AWS":"*"} / NotPrincipal without a
 * pinning condition, or an OIDC provider without an audience or subject condition.
 */
export function findOpenTrustStatements(trustPolicy: PolicyDocument, basePath = "trustPolicy"): OpenTrustStatement[] {
  const found: OpenTrustStatement[] = [];
  for (const statement of normalizeStatements(trustPolicy, basePath)) {
    if (statement.effect !== "Allow" || !ASSUME_ACTIONS.some((action) => statementMatchesAction(statement, action))) continue;
    const reason = openTrustReason(statement);
    if (reason) found.push({ index: statement.index, ...(statement.sid ? { sid: statement.sid } : {}), path: statement.path, statement: statement.raw, reason });
  }
  return found;
}

function openTrustReason(statement: NormalizedStatement): string | undefined {
  const label = describeStatement(statement);
  if (appliesToEveryone(statement)) {
    const pinned = analyzeConditions(statement).restrictions.some((r) => TRUST_RESTRICTIONS.has(r.kind));
    return pinned ? undefined : `${label} lets any AWS principal assume the role without sts:ExternalId, aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn`;
  }
  const open = (statement.principals ?? []).filter((p) => p.kind === "federated" && !isSamlProvider(p.value) && !hasTokenCondition(statement, providerHost(p.value)));
  if (open.length === 0) return undefined;
  return `${label} lets every identity of ${open.map((p) => providerHost(p.value)).join(", ")} assume the role (no audience/subject condition)`;
}

function isSamlProvider(value: string): boolean {
  return value.includes(":saml-provider/");
}

/** `arn:aws:iam::123:oidc-provider/token.actions.githubusercontent.com` and `accounts.google.com` alike. */
function providerHost(value: string): string {
  const marker = ":oidc-provider/";
  const at = value.indexOf(marker);
  return (at === -1 ? value : value.slice(at + marker.length)).toLowerCase();
}

/**
 * An `aud` or `sub` condition of the provider. GitHub's `aud` is `sts.amazonaws.com` for every
 * repository on GitHub, so only a `sub` naming an owner pins it
 * (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services).
 */
function hasTokenCondition(statement: NormalizedStatement, host: string): boolean {
  const tests = statement.conditions.filter((c) => isPositiveMatch(c) && c.key.startsWith(`${host}:`));
  if (host === GITHUB) return tests.some((c) => c.key === `${host}:sub` && c.values.every((v) => /^repo:[^*?/]+\//i.test(v)));
  return tests.some((c) => ["aud", "sub", "amr"].includes(c.key.slice(host.length + 1)) && c.values.some(isFixedValue));
}

function isPositiveMatch(entry: ConditionEntry): boolean {
  return entry.set !== "forallvalues" && !entry.ifExists && ["stringequals", "stringequalsignorecase", "stringlike"].includes(entry.base);
}

/** Cross-account trust (sts:AssumeRole by principals of other accounts) without an sts:ExternalId condition. */
export function findTrustWithoutExternalId(
  trustPolicy: PolicyDocument, accountId: string, trusted: readonly string[], basePath = "trustPolicy",
): CrossAccountStatement[] {
  return findCrossAccountStatements(trustPolicy, accountId, trusted, { basePath, actions: ["sts:AssumeRole"] })
    .filter((found) => !requiresExternalId(found.statement));
}

function requiresExternalId(statement: Statement): boolean {
  const [normalized] = normalizeStatements({ Statement: [statement] });
  return (normalized?.conditions ?? []).some((c) =>
    c.key === "sts:externalid" && c.set !== "forallvalues" && !c.ifExists && c.base === "stringequals" && c.values.every(isFixedValue));
}
