import type { PolicyDocument, Statement } from "../policy-document.js";
import { describeActions, statementCoversActions, statementGrantsAnyOf } from "./action.js";
import { ANY_RESOURCE_SAMPLES, ANY_ROLE_SAMPLES, appliesToAnyResource } from "./resource.js";
import { describeCondition, describeStatement, normalizeStatements, type NormalizedStatement } from "./statement.js";

/** One policy document of a principal, labelled for evidence ("managed policy AdministratorAccess via group admins"). */
export interface PolicySource {
  label: string;
  document: PolicyDocument;
  /** Prefix of evidence paths ("inlinePolicies[0].document"). */
  basePath?: string;
}

export interface StatementRef {
  source: string;
  index: number;
  sid?: string;
  path: string;
  statement: Statement;
}

export interface AccessAnalysis {
  /** True when an Allow grants the access and no unconditional Deny takes it away. */
  granted: boolean;
  /** The Allow statements granting it, each with its own conditions as qualifiers. */
  grants: (StatementRef & { qualifiers: string[] })[];
  /** Unconditional Deny statements that remove it. */
  negatedBy: StatementRef[];
  /** Everything that narrows a granted access: Allow conditions, conditional or partial Denies. */
  qualifiers: string[];
}

const ALL_ACTIONS = "*:*";

/**
 * Administrator access: an Allow of every action (`*`, `*:*`, or any NotAction) on every resource
 * (or a NotResource), minus Deny. Only a Deny of everything (or a Deny with NotAction, which leaves just
 * the listed actions) removes it; narrower or conditional Denies become qualifiers.
 */
export function analyzeAdminAccess(sources: readonly PolicySource[]): AccessAnalysis {
  return analyzeAccess(sources, {
    isGrant: (s) => s.notActions !== undefined || statementCoversActions(s, ALL_ACTIONS),
    isTotalDeny: (s) => s.notActions !== undefined || statementCoversActions(s, ALL_ACTIONS),
    touches: (s) => statementGrantsAnyOf(s, [ALL_ACTIONS]),
    samples: ANY_RESOURCE_SAMPLES,
  });
}

/** Every action of one service (`kms:*`) on every resource; any unconditional Deny of one of them removes it. */
export function allowsFullServiceAccess(sources: readonly PolicySource[], service: string): AccessAnalysis {
  const all = `${service}:*`;
  return analyzeAccess(sources, {
    isGrant: (s) => statementCoversActions(s, all),
    isTotalDeny: (s) => statementGrantsAnyOf(s, [all]),
    touches: (s) => statementGrantsAnyOf(s, [all]),
    samples: ANY_RESOURCE_SAMPLES,
  });
}

/** sts:AssumeRole on every role (Resource `*` or `arn:aws:iam::*:role/*`). */
export function allowsAssumeRoleOnAnyRole(sources: readonly PolicySource[]): AccessAnalysis {
  const action = "sts:AssumeRole";
  return analyzeAccess(sources, {
    isGrant: (s) => statementCoversActions(s, action),
    isTotalDeny: (s) => statementCoversActions(s, action),
    touches: (s) => statementGrantsAnyOf(s, [action]),
    samples: ANY_ROLE_SAMPLES,
  });
}

interface AccessSpec {
  isGrant(statement: NormalizedStatement): boolean;
  isTotalDeny(statement: NormalizedStatement): boolean;
  touches(statement: NormalizedStatement): boolean;
  samples: readonly string[];
}

function analyzeAccess(sources: readonly PolicySource[], spec: AccessSpec): AccessAnalysis {
  const result: AccessAnalysis = { granted: false, grants: [], negatedBy: [], qualifiers: [] };
  const labelled = sources.flatMap((source) =>
    normalizeStatements(source.document, source.basePath ?? "document").map((statement) => ({ source, statement })));
  for (const { source, statement } of labelled) {
    if (statement.effect !== "Allow" || !spec.isGrant(statement) || !appliesToAnyResource(statement, spec.samples)) continue;
    const qualifiers = statement.conditions.map(describeCondition);
    if (statement.notActions) qualifiers.push(`except NotAction ${statement.notActions.join(", ")}`);
    result.grants.push({ ...refOf(source, statement), qualifiers });
    result.qualifiers.push(...qualifiers);
  }
  for (const { source, statement } of labelled) {
    if (statement.effect !== "Deny" || !spec.touches(statement)) continue;
    const total = statement.conditions.length === 0 && spec.isTotalDeny(statement) && appliesToAnyResource(statement, spec.samples);
    if (total) result.negatedBy.push(refOf(source, statement));
    else result.qualifiers.push(describeDeny(source, statement));
  }
  result.granted = result.grants.length > 0 && result.negatedBy.length === 0;
  result.qualifiers = [...new Set(result.qualifiers)];
  return result;
}

function describeDeny(source: PolicySource, statement: NormalizedStatement): string {
  const where = `${source.label} ${describeStatement(statement)}`;
  const scope = statement.resources ? ` on ${statement.resources.join(", ")}` : ` on everything except ${(statement.notResources ?? []).join(", ")}`;
  const when = statement.conditions.length > 0 ? ` when ${statement.conditions.map((c) => c.label).join(" and ")}` : "";
  return `except Deny ${describeActions(statement)}${scope}${when} (${where})`;
}

function refOf(source: PolicySource, statement: NormalizedStatement): StatementRef {
  return {
    source: source.label, index: statement.index, ...(statement.sid ? { sid: statement.sid } : {}),
    path: statement.path, statement: statement.raw,
  };
}
