import type { Principal } from "../policy-document.js";

export type PrincipalKind =
  | "public" // `*`, {"AWS":"*"}, arn:aws:iam::*:root: anyone
  | "account" // an AWS account, user or role, with its account id
  | "service" // an AWS service principal (s3.amazonaws.com)
  | "federated" // a SAML or OIDC provider (Federated)
  | "canonical" // a CanonicalUser id (S3 only: CloudFront OAI, an account's canonical id)
  | "other"; // unique ids of deleted principals (AIDA..., AROA...) and AWS-internal ARNs

export interface PrincipalEntry {
  kind: PrincipalKind;
  /** As written: `*`, an ARN, an account id, a service name. */
  value: string;
  /** The 12-digit account for `account` principals and account-bound federated providers. */
  accountId?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/** Parses `Principal` / `NotPrincipal` ("*" or a map of AWS, Service, Federated, CanonicalUser). */
export function parsePrincipals(principal: Principal): PrincipalEntry[] {
  if (principal === "*") return [{ kind: "public", value: "*" }];
  return Object.entries(principal).flatMap(([type, values]) =>
    (Array.isArray(values) ? values : [values]).map((value) => parsePrincipal(type.toLowerCase(), value)));
}

function parsePrincipal(type: string, value: string): PrincipalEntry {
  if (value === "*") return { kind: "public", value };
  if (type === "aws") return parseAwsPrincipal(value);
  if (type === "service") return { kind: "service", value };
  if (type === "federated") return withAccount({ kind: "federated", value }, arnAccount(value));
  if (type === "canonicaluser") return { kind: "canonical", value };
  return { kind: "other", value };
}

function parseAwsPrincipal(value: string): PrincipalEntry {
  if (ACCOUNT_ID.test(value)) return { kind: "account", value, accountId: value };
  if (!value.startsWith("arn:")) return { kind: "other", value };
  const account = arnAccount(value);
  // IAM rejects wildcards in principals except in the account field of `arn:aws:iam::*:root`,
  // which Prowler and AWS both read as "every account".
  if (account === undefined) return { kind: "other", value };
  if (account.includes("*") || account.includes("?")) return { kind: "public", value };
  return ACCOUNT_ID.test(account) ? { kind: "account", value, accountId: account } : { kind: "other", value };
}

function withAccount(entry: PrincipalEntry, accountId: string | undefined): PrincipalEntry {
  return accountId && ACCOUNT_ID.test(accountId) ? { ...entry, accountId } : entry;
}

/** The account field of an ARN (`arn:partition:service:region:account:resource`). */
export function arnAccount(arn: string): string | undefined {
  if (!arn.startsWith("arn:")) return undefined;
  return arn.split(":")[4];
}

export function isPublicPrincipal(entry: PrincipalEntry): boolean {
  return entry.kind === "public";
}
