import type { PolicyDocument } from "../policy-document.js";
import { statementCoversActions } from "./action.js";
import { appliesToBucket } from "./resource.js";
import { normalizeStatements, type NormalizedStatement } from "./statement.js";

export interface TransportDeny {
  index: number;
  sid?: string;
  path: string;
}

/**
 * The statement that denies plain-HTTP requests: Deny, Principal `*` / {"AWS":"*"}, Action `s3:*`
 * or `*`, a Resource naming the bucket and/or its objects (any when `bucketName` is omitted), and a
 * condition block that is exactly `Bool` (or `BoolIfExists`) aws:SecureTransport false; S3 accepts
 * both "false" and false (https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule).
 * Any other condition beside it would narrow the Deny, so it no longer covers every HTTP request.
 */
export function deniesInsecureTransport(document: PolicyDocument, bucketName?: string, basePath = "policy"): TransportDeny | undefined {
  const statement = normalizeStatements(document, basePath).find((s) => isTransportDeny(s, bucketName));
  if (!statement) return undefined;
  return { index: statement.index, ...(statement.sid ? { sid: statement.sid } : {}), path: statement.path };
}

function isTransportDeny(statement: NormalizedStatement, bucketName: string | undefined): boolean {
  if (statement.effect !== "Deny" || statement.notPrincipals) return false;
  if (!(statement.principals ?? []).some((p) => p.kind === "public" && p.value === "*")) return false;
  if (!statementCoversActions(statement, "s3:*")) return false;
  const coversBucket = bucketName === undefined ? (statement.resources ?? []).length > 0 : appliesToBucket(statement, bucketName);
  if (!coversBucket) return false;
  const [condition, ...others] = statement.conditions;
  return others.length === 0 && condition !== undefined && condition.set === "single" && condition.base === "bool"
    && condition.key === "aws:securetransport" && condition.values.length > 0
    && condition.values.every((value) => value.toLowerCase() === "false");
}
