import type { Evidence } from "./condition.js";
import type { Severity } from "./rule.js";
import type { AppliedOverride } from "./severity-overrides.js";
import type { ResourceType } from "./snapshot.js";

/** DESIGN section 3: a finding is open, resolved or muted; unique per rule and resource. */
export const FINDING_STATUSES = ["open", "resolved", "muted"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** The latest evaluation of a finding's rule on its resource (`deleted`: the resource disappeared). */
export const LAST_RESULTS = ["pass", "fail", "deleted"] as const;
export type LastResult = (typeof LAST_RESULTS)[number];

export const RESOLVED_PASSED = "passed";
export const RESOLVED_DELETED = "resource deleted";
/** The finding's account is no longer in the organisation's scope (closed, suspended, removed, excluded or unlisted). */
export const RESOLVED_ACCOUNT_LEFT = "account left the organisation's scope";

/** What the lifecycle needs to know about a stored finding (loaded before a scan is reconciled). */
export interface StoredFinding {
  id: number;
  ruleId: string;
  /** The resource's identity (`resourceId`: the ARN, or ARN@account for AWS-owned shared ARNs). */
  resourceArn: string;
  accountId: string;
  /** Deletion is decided per account x resource type (only complete inventories reveal a deleted resource). */
  resourceType: ResourceType;
  severity: Severity;
  /** Reason of the override that set `severity` (null: the rule's own): a changed reason alone rewrites the row. */
  severityReason?: string | null;
  team: string | null;
  status: FindingStatus;
  reopenCount: number;
  /** Seconds the finding was open in earlier, closed periods. */
  exposureSeconds: number;
  /** Start of the current open period (ISO), null when not open. */
  openedAt: string | null;
  resolvedAt: string | null;
}

/** The facts of one failing evaluation that a finding row stores. */
export interface FailFacts {
  ruleId: string;
  ruleVersion: string;
  /** The effective severity (after `severityOverrides`). */
  severity: Severity;
  /** The override that set `severity`, null when it is the rule's own. */
  severityOverride?: AppliedOverride | null;
  /** `arn` is the resource's identity (`resourceId`): what the findings and resources tables key on. */
  resource: { arn: string; type: ResourceType; name: string; accountId: string; region: string };
  team: string | null;
  /** Why that team owns it ("tag team=payments"), shown in the message. */
  ownerReason: string;
  evidence: Evidence[];
  qualifiers: string[];
}

/** One key per rule x resource, the unit of the findings table's unique constraint. */
export function findingKey(ruleId: string, resourceArn: string): string {
  return `${ruleId}\u0000${resourceArn}`;
}

/** Seconds between two ISO instants, never negative (clock skew between hosts must not go backwards). */
export function secondsBetween(fromIso: string, toIso: string): number {
  return Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
}
