import { policyDocumentSchema, type PolicyDocument } from "../policy-document.js";
import { findPublicStatements } from "../policy/public.js";
import { deniesInsecureTransport } from "../policy/transport.js";
import { FixNotApplicableError } from "./types.js";

/**
 * A bucket policy as S3 returned it, parsed with JSON.parse and nothing else: the planners edit this
 * raw object so that every statement they keep, and every key they do not know, stays as it was.
 */
export type RawPolicy = Record<string, unknown> & { Statement: unknown };

export interface RemovedStatement {
  index: number;
  sid?: string;
  reason: string;
  statement: unknown;
}

export interface PolicyEdit {
  /** The policy to put, or `null`: nothing is left, so the policy is deleted. */
  after: RawPolicy | null;
  removed: RemovedStatement[];
}

export const TLS_DENY_SID = "PostureDenyInsecureTransport";

/** Parses a policy text into the raw object the planners edit; throws when it is not a policy. */
export function parseRawPolicy(text: string): RawPolicy {
  const raw = JSON.parse(text) as unknown;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || !("Statement" in raw)) {
    throw new FixNotApplicableError("the bucket policy is not a JSON object with a Statement");
  }
  return raw as RawPolicy;
}

function analysable(raw: RawPolicy): PolicyDocument {
  const parsed = policyDocumentSchema.safeParse(raw);
  if (!parsed.success) throw new FixNotApplicableError(`the bucket policy has a shape Posture cannot analyse: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

function statementList(raw: RawPolicy): unknown[] {
  return Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement];
}

/**
 * Removes only the statements that make the policy public (for `write`: the public statements that
 * grant a write or delete action), keeping every other statement and key in its place. Statements
 * restricted only by aws:PrincipalOrgID are kept: they serve the organisation, and removing them
 * would break it.
 */
export function planRemovePublicStatements(raw: RawPolicy, access: "any" | "write" = "any"): PolicyEdit {
  const found = findPublicStatements(analysable(raw), { access });
  if (found.length === 0) throw new FixNotApplicableError(`no statement of the bucket policy grants ${access === "write" ? "write access " : ""}to everyone without a restricting condition`);
  const indexes = new Set(found.map((s) => s.index));
  const statements = statementList(raw);
  const kept = statements.filter((_, index) => !indexes.has(index));
  const removed = found.map((s) => ({ index: s.index, ...(s.sid !== undefined ? { sid: s.sid } : {}), reason: s.reason, statement: statements[s.index] }));
  if (kept.length === 0) return { after: null, removed };
  return { after: { ...raw, Statement: kept }, removed };
}

export function tlsDenyStatement(bucket: string, partition = "aws"): Record<string, unknown> {
  return {
    Sid: TLS_DENY_SID,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:${partition}:s3:::${bucket}`, `arn:${partition}:s3:::${bucket}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Adds the TLS-only Deny to the policy (or to a new one); every existing statement stays. */
export function planTlsDenyStatement(raw: RawPolicy | null, bucket: string, partition = "aws"): RawPolicy {
  const statement = tlsDenyStatement(bucket, partition);
  if (raw === null) return { Version: "2012-10-17", Statement: [statement] };
  if (deniesInsecureTransport(analysable(raw), bucket)) throw new FixNotApplicableError("the bucket policy already denies requests over plain HTTP");
  const statements = statementList(raw);
  if (statements.some((s) => (s as { Sid?: unknown } | null)?.Sid === TLS_DENY_SID)) {
    throw new FixNotApplicableError(`the bucket policy has a statement with Sid ${TLS_DENY_SID} that no longer denies plain HTTP; review it by hand`);
  }
  return { ...raw, Statement: [...statements, statement] };
}

/** The partition of an ARN ("aws", "aws-us-gov", "aws-cn"). */
export function partitionOf(arn: string): string {
  return arn.split(":")[1] || "aws";
}
