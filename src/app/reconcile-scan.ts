import type { AnyNamedCheck } from "../core/checks/check.js";
import { namedChecks } from "../core/checks/index.js";
import { evaluateSnapshot, type RuleResult } from "../core/engine.js";
import type { FailFacts, StoredFinding } from "../core/findings.js";
import { DISCOVERY_COVERAGE_ID } from "../core/digest.js";
import { accountsLeftScope, completeInventoriesOf, createLifecycleFold, inventoryKey } from "../core/lifecycle.js";
import { activeMuteFor, type Mute } from "../core/mutes.js";
import { compileOwnership, type OwnerDecision, type OwnershipOverride, type OwnershipPolicy } from "../core/ownership.js";
import { createReportAccumulator, type ScanReport } from "../core/report.js";
import type { Rule, Severity } from "../core/rule.js";
import { compileSeverityOverrides, type SeverityOverride } from "../core/severity-overrides.js";
import { createScopeCounter } from "../core/scope-counts.js";
import { resourceId, type Resource, type Snapshot } from "../core/snapshot.js";
import { isUnknown } from "../core/unknown.js";
import { organisationAccounts, type SnapshotSource } from "./scan.js";
import type { PersistSummary, ReconcilePlan, ResourceRecord, ScanAccountRecord, ScanRecord, StateStore, TeamRecord } from "./state-ports.js";

export interface ReconcileRequest {
  scanId: string;
  trigger: string;
  /** The rules to evaluate (already filtered); `subset` when filters left some enabled rules out. */
  rules: readonly Rule[];
  ruleScope: "all" | "subset";
  snapshot: Snapshot;
  startedAt: Date;
  /** Evaluation time: ages are measured from it and it stamps every transition. */
  now: Date;
  ownership: OwnershipPolicy;
  teams: TeamRecord[];
  /** Where unowned findings go. */
  securityChannel: string | null;
  checks?: ReadonlyMap<string, AnyNamedCheck>;
  /**
   * The organisation's accounts (`organisationAccounts`: the snapshot's plus the configured ones), as
   * the plain scan passes them: access granted to them is not cross-account exposure. Default: the
   * snapshot's accounts, as `evaluateToReport` does.
   */
  trustedAccounts?: readonly string[];
  /** Approved mutes (loaded by `reconcileScan` when the store offers them): active ones hold matching failures muted. */
  mutes?: readonly Mute[];
  /**
   * Every account in the organisation's scope when the scan's account list is authoritative (`accountScopeOf`):
   * with `ruleScope` "all", stored accounts outside it are retired. Absent: nothing is retired.
   */
  accountScope?: readonly string[];
  /** `severityOverrides` of the configuration: the findings, the counts and the report take the effective severity. */
  severityOverrides?: readonly SeverityOverride[];
  /** `notifications.severities`: new findings of these severities are queued for Slack too. */
  notifySeverities?: readonly Severity[];
}

export interface ReconcileOutcome {
  report: ScanReport;
  persisted: PersistSummary;
}

/**
 * Evaluates the snapshot once, folding each result into the report, the lifecycle diff and the score
 * counts; then hands the whole plan to the store, which writes it in one transaction.
 */
export async function reconcileScan(store: StateStore, request: ReconcileRequest): Promise<ReconcileOutcome> {
  // Taken before the state is read: a mute step committed after it is re-applied by the store at write time.
  const muteWatermark = await store.loadMuteWatermark?.();
  const [stored, overrides, mutes] = await Promise.all([store.loadFindingStates(), store.loadOwnershipOverrides(), request.mutes ?? store.loadApprovedMutes?.() ?? []]);
  const { plan, report } = planReconcile({ ...request, mutes }, stored, overrides);
  return { report, persisted: await store.persistReconcile(muteWatermark === undefined ? plan : { ...plan, muteWatermark }) };
}

/** Pure apart from the engine's own work: the plan and the report of one scan against the stored state. */
export function planReconcile(request: ReconcileRequest, stored: ReadonlyMap<string, StoredFinding>, overrides: ReadonlyMap<string, OwnershipOverride>): { plan: ReconcilePlan; report: ScanReport } {
  const nowIso = request.now.toISOString();
  const owners = decideOwners(request.snapshot.resources, request.ownership, overrides);
  const fold = createLifecycleFold(stored, nowIso);
  const counter = createScopeCounter();
  const accumulator = createReportAccumulator();
  const notEvaluatedByAccount = new Map<string, number>();
  const frameworks = new Map(request.rules.map((rule) => [rule.id, Object.keys(rule.compliance)]));
  const mutesByRule = groupMutesByRule(request.mutes ?? [], request.now);

  const engineOptions = {
    now: request.now, checks: request.checks ?? namedChecks, trustedAccounts: request.trustedAccounts ?? organisationAccounts(request.snapshot),
    // No overrides configured (the usual case): no per-evaluation call at all.
    ...(request.severityOverrides?.length ? { severityOf: compileSeverityOverrides(request.severityOverrides) } : {}),
  };
  evaluateSnapshot(request.rules, request.snapshot, engineOptions, (result) => {
    accumulator.add(result);
    const { rule, resource } = result;
    const id = resourceId(resource);
    const owner = owners.get(id)!;
    const rulesMutes = mutesByRule.get(rule.id);
    let muteId: string | undefined;
    const muteOf = rulesMutes && (() => (muteId = activeMuteFor(rulesMutes, { ruleId: rule.id, resourceArn: id, team: owner.team, tags: tagsOf(resource) }, request.now)?.id));
    const finding = fold.add(rule.id, id, result.status, () => failFacts(result, id, owner), muteOf);
    // Muted after this scan: still failing while muted, or newly covered by an active mute (a pass resolves it).
    const muted = (finding?.status === "muted" && result.status !== "pass") || muteId !== undefined;
    if (result.status === "not_evaluated") notEvaluatedByAccount.set(resource.accountId, (notEvaluatedByAccount.get(resource.accountId) ?? 0) + 1);
    counter.add({ accountId: resource.accountId, ruleId: rule.id, severity: result.severity, frameworks: frameworks.get(rule.id)!, team: owner.team, status: result.status, muted });
  });

  const { snapshot } = request;
  const report = accumulator.build({ evaluatedAt: request.now, collectedAt: snapshot.collectedAt, accounts: snapshot.accounts });
  const completeInventories = completeInventoriesOf(snapshot.accounts);
  const accountScope = request.accountScope !== undefined && request.ruleScope === "all" ? new Set(request.accountScope) : null;
  const retired = accountsLeftScope(accountsOf(stored), accountScope);
  const changes = fold.finish(new Set(owners.keys()), new Set(completeInventories.map((i) => inventoryKey(i.accountId, i.type))), retired);
  const channels = new Map(request.teams.map((team) => [team.handle, team.channel]));
  const plan: ReconcilePlan = {
    scan: scanRecordOf(request, report),
    accounts: accountRecordsOf(snapshot, notEvaluatedByAccount),
    resources: resourceRecordsOf(snapshot.resources, owners),
    completeInventories,
    ...(accountScope !== null && accountScope.size > 0 ? { accountScope: [...accountScope] } : {}),
    changes,
    counts: request.ruleScope === "all" ? counter.rows() : null,
    teams: request.teams,
    evaluatedAt: nowIso,
    ...(request.notifySeverities ? { notifySeverities: new Set(request.notifySeverities) } : {}),
    channelOf: (team) => (team === null ? null : channels.get(team) ?? null) ?? request.securityChannel,
    frameworksOf: (ruleId) => frameworks.get(ruleId) ?? [],
  };
  return { plan, report };
}

/**
 * The accounts in scope when this scan's account list is authoritative: a full collection (no account
 * subset) by a collector that lists every account (`Collector.accountScope`), whose discovery, if any, did
 * not fail. The snapshot's accounts plus the configured ones; undefined otherwise (snapshot files, targeted
 * scans, a failed discovery), and then nothing is retired.
 */
export function accountScopeOf(source: SnapshotSource, snapshot: Pick<Snapshot, "accounts">): string[] | undefined {
  if (source.kind !== "collector" || source.collector.accountScope === undefined || (source.accounts?.length ?? 0) > 0) return undefined;
  if (snapshot.accounts.some((account) => account.accountId === DISCOVERY_COVERAGE_ID)) return undefined;
  return organisationAccounts(snapshot, source.collector.accountScope.configured);
}

function accountsOf(stored: ReadonlyMap<string, StoredFinding>): Set<string> {
  const accounts = new Set<string>();
  for (const finding of stored.values()) accounts.add(finding.accountId);
  return accounts;
}

/**
 * The owner of every resource, keyed by its identity (`resourceId`). Overrides are stored under that
 * identity too; a resource with an AWS-owned shared ARN (ARN@account) is decided with the override of
 * its own identity only (never another account's), while the matchers still see its real ARN.
 */
function decideOwners(resources: readonly Resource[], policy: OwnershipPolicy, overrides: ReadonlyMap<string, OwnershipOverride>): Map<string, OwnerDecision> {
  const decide = compileOwnership(policy, overrides);
  const decideShared = compileOwnership(policy, new Map());
  const owners = new Map<string, OwnerDecision>();
  for (const resource of resources) {
    const id = resourceId(resource);
    if (id === resource.arn) {
      owners.set(id, decide(resource));
      continue;
    }
    const override = overrides.get(id);
    owners.set(id, override ? compileOwnership(policy, new Map([[resource.arn, override]]))(resource) : decideShared(resource));
  }
  return owners;
}

/** Only active mutes, by rule: a failing evaluation looks at its own rule's few mutes. */
function groupMutesByRule(mutes: readonly Mute[], now: Date): Map<string, Mute[]> {
  const byRule = new Map<string, Mute[]>();
  for (const mute of mutes) {
    if (mute.state !== "approved" || (mute.expiresAt !== null && Date.parse(mute.expiresAt) <= now.getTime())) continue;
    byRule.set(mute.scope.ruleId, [...(byRule.get(mute.scope.ruleId) ?? []), mute]);
  }
  return byRule;
}

function tagsOf(resource: Resource): Record<string, string> | null {
  return resource.tags === undefined || isUnknown(resource.tags) ? null : resource.tags;
}

function failFacts(result: RuleResult, id: string, owner: OwnerDecision): FailFacts {
  const { rule, resource } = result;
  return {
    ruleId: rule.id, ruleVersion: rule.version, severity: result.severity, severityOverride: result.severityOverride ?? null,
    resource: { arn: id, type: resource.type, name: resource.name, accountId: resource.accountId, region: resource.region },
    team: owner.team, ownerReason: owner.reason, evidence: result.evidence, qualifiers: result.qualifiers ?? [],
  };
}

function scanRecordOf(request: ReconcileRequest, report: ScanReport): ScanRecord {
  const statuses = request.snapshot.accounts.map((a) => a.status);
  const status = statuses.length > 0 && statuses.every((s) => s === "failed") ? "failed" : statuses.every((s) => s === "ok") ? "completed" : "partial";
  const pass = Object.values(report.tally).reduce((sum, t) => sum + t.pass, 0);
  const fail = Object.values(report.tally).reduce((sum, t) => sum + t.fail, 0);
  return {
    id: request.scanId, startedAt: request.startedAt.toISOString(), finishedAt: request.now.toISOString(), status, trigger: request.trigger,
    ruleScope: request.ruleScope, ruleCount: request.rules.length, resourceCount: request.snapshot.resources.length,
    evaluations: report.evaluations, pass, fail, notEvaluated: report.coverage.notEvaluated,
  };
}

function accountRecordsOf(snapshot: Snapshot, notEvaluated: ReadonlyMap<string, number>): ScanAccountRecord[] {
  const resources = new Map<string, number>();
  for (const r of snapshot.resources) resources.set(r.accountId, (resources.get(r.accountId) ?? 0) + 1);
  return snapshot.accounts.map((a) => ({
    accountId: a.accountId, name: a.name, status: a.status, resourceCount: resources.get(a.accountId) ?? 0,
    notEvaluated: notEvaluated.get(a.accountId) ?? 0, errors: a.errors,
  }));
}

function* resourceRecordsOf(resources: readonly Resource[], owners: ReadonlyMap<string, OwnerDecision>): Generator<ResourceRecord> {
  for (const resource of resources) {
    const arn = resourceId(resource);
    const owner = owners.get(arn)!;
    const tags = tagsOf(resource);
    yield { arn, type: resource.type, accountId: resource.accountId, region: resource.region, name: resource.name, tags, team: owner.team, ownerReason: owner.reason };
  }
}
