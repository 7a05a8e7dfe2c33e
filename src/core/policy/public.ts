import type { PolicyDocument, Statement } from "../policy-document.js";
import { describeActions, statementCoversActions, statementGrantsAnyOf } from "./action.js";
import { analyzeConditions, parseNegatedRestriction, type Restriction } from "./restriction.js";
import { coversResources } from "./resource.js";
import { describeStatement, normalizeStatements, type NormalizedStatement } from "./statement.js";

/**
 * S3 actions that write, delete or change access. S3's own "bad actions" are s3:Get*, s3:List*,
 * s3:AbortMultipartUpload, s3:Delete*, s3:Put* and s3:RestoreObject; these are the writing part.
 */
export const S3_WRITE_ACTIONS = [
  "s3:Put*", "s3:Delete*", "s3:AbortMultipartUpload", "s3:RestoreObject", "s3:ReplicateObject",
  "s3:ReplicateDelete", "s3:ReplicateTags", "s3:BypassGovernanceRetention", "s3:ObjectOwnerOverrideToBucketOwner",
];

export interface PublicStatement {
  index: number;
  sid?: string;
  path: string;
  statement: Statement;
  /** Why it is public: "Principal * without a restricting condition". */
  reason: string;
  grantsWrite: boolean;
  /** Conditions that narrow it without making it private ("only with Bool aws:SecureTransport true"). */
  qualifiers: string[];
}

export interface PublicAnalysis {
  /** Allow statements open to anyone. */
  public: PublicStatement[];
  /** `*` statements restricted only by aws:PrincipalOrgID(/Paths): private for us, but S3 may still say IsPublic. */
  orgScoped: PublicStatement[];
}

export interface PublicOptions {
  access?: "any" | "write";
  /** Prefix of evidence paths: the attribute holding the document ("policy"). */
  basePath?: string;
}

/** The statements that make a resource policy public, with their index for a surgical fix. */
export function findPublicStatements(document: PolicyDocument, options: PublicOptions = {}): PublicStatement[] {
  return analyzePublicStatements(document, options).public;
}

export function analyzePublicStatements(document: PolicyDocument, options: PublicOptions = {}): PublicAnalysis {
  const statements = normalizeStatements(document, options.basePath ?? "policy");
  const denies = statements.filter((s) => s.effect === "Deny" && appliesToEveryone(s));
  const result: PublicAnalysis = { public: [], orgScoped: [] };
  for (const statement of statements) {
    if (statement.effect !== "Allow" || !appliesToEveryone(statement)) continue;
    const verdict = classifyPublicAllow(statement, denies);
    if (verdict === "private") continue;
    if (options.access === "write" && !verdict.grantsWrite) continue;
    (verdict.orgScoped ? result.orgScoped : result.public).push(verdict);
  }
  return result;
}

/** `*`, {"AWS":"*"}, `arn:aws:iam::*:root`, or NotPrincipal (everyone except a list). */
export function appliesToEveryone(statement: NormalizedStatement): boolean {
  if (statement.notPrincipals) return true;
  return (statement.principals ?? []).some((principal) => principal.kind === "public");
}

function classifyPublicAllow(statement: NormalizedStatement, denies: NormalizedStatement[]): (PublicStatement & { orgScoped: boolean }) | "private" {
  const { restrictions, qualifiers } = analyzeConditions(statement);
  const pinned = restrictions.some((r) => r.kind !== "organization" && r.kind !== "external-id");
  const denyEffect = findDenyEffect(statement, denies);
  if (pinned || denyEffect === "denied" || denyEffect === "pinned") return "private";
  const orgScoped = denyEffect === "organization" || restrictions.some((r) => r.kind === "organization");
  const who = statement.notPrincipals ? "NotPrincipal (everyone except the listed principals)" : "Principal * (anyone)";
  const reason = orgScoped
    ? `${describeStatement(statement)} allows ${who} restricted only by aws:PrincipalOrgID, which S3 does not count as a restriction`
    : `${describeStatement(statement)} allows ${who} to ${describeActions(statement)} without a restricting condition`;
  return {
    index: statement.index, ...(statement.sid ? { sid: statement.sid } : {}), path: statement.path, statement: statement.raw,
    reason, grantsWrite: statementGrantsAnyOf(statement, S3_WRITE_ACTIONS), qualifiers, orgScoped,
  };
}

type DenyEffect = "denied" | "pinned" | "organization" | "none";

/**
 * A Deny for everyone that covers the Allow's actions and resources either removes it entirely
 * (no condition) or leaves it only where its negated conditions hold (`StringNotEquals aws:SourceVpce`).
 */
function findDenyEffect(allow: NormalizedStatement, denies: NormalizedStatement[]): DenyEffect {
  let effect: DenyEffect = "none";
  for (const deny of denies) {
    const actionsCovered = allow.actions
      ? allow.actions.every((action) => statementCoversActions(deny, action))
      : statementCoversActions(deny, "*:*");
    if (!actionsCovered || !coversResources(deny, allow)) continue;
    if (deny.conditions.length === 0) return "denied";
    const restrictions = deny.conditions.map(parseNegatedRestriction);
    if (!restrictions.every((r): r is Restriction => r !== undefined && r.kind !== "external-id")) continue;
    if (restrictions.some((r) => r.kind !== "organization")) effect = "pinned";
    else if (effect === "none") effect = "organization";
  }
  return effect;
}
