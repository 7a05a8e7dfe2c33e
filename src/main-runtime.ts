import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { App } from "@slack/bolt";
import type { Logger } from "pino";
import type { RuleListing } from "./app/command-answers.js";
import { deliverOutbox, serializeDelivery } from "./app/deliver-outbox.js";
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions, type RuleInfo } from "./app/delivery-policy.js";
import type { CommandVocabulary } from "./app/posture-command.js";
import type { SnapshotSource } from "./app/scan.js";
import { createScanRunner, type ScanResult, type ScanRunner } from "./app/scan-runner.js";
import type { Notifier } from "./app/slack-ports.js";
import type { FixerRegistry } from "./app/fix-ports.js";
import type { Config } from "./config.js";
import type { Catalog } from "./core/catalog.js";
import type { Db } from "./db/open.js";
import { fixerRoleOf } from "./aws/account-roles.js";
import { createAuditWriter } from "./db/audit-repo.js";
import { createMuteIds } from "./db/mute-ids.js";
import { loadScannedAccounts } from "./db/coverage-queries.js";
import { loadFindingTimeline } from "./db/finding-queries.js";
import { createSqliteMuteStore } from "./db/mutes-repo.js";
import { frameworksOfRules } from "./core/mute-score.js";
import { approvalsChannelOf, mutePolicyOf } from "./app/mutes.js";
import { fixPolicyOf, liveView, NO_LOOKUPS, teamMembershipsOf, type UserGroupLookups, type UserGroupRefresh } from "./app/memberships.js";
import { isMember } from "./core/group-membership.js";
import type { MuteSlackDeps } from "./slack/listeners/mute-deps.js";
import { createFixRunIds } from "./db/fix-run-ids.js";
import { createFixRunStore } from "./db/fix-runs-repo.js";
import { createSqliteDeliveryStore } from "./db/slack-messages-repo.js";
import { createSqliteHomeViewers } from "./db/slack-home-viewers.js";
import { createSqliteReadModel } from "./db/slack-read-model.js";
import { createHomePublisher } from "./slack/home-publisher.js";
import type { FixSlackDeps } from "./slack/listeners/fix-deps.js";
import { registerListeners } from "./slack/listeners/index.js";

/** Everything the running app is made of, built once from config, catalog and database. */
export interface RuntimeInput {
  config: Config;
  catalog: Catalog;
  db: Db;
  logger: Logger;
  notifier: Notifier;
  /** The Bolt app; absent with the console transport. */
  app?: App;
  /** Where a scan's snapshot comes from (the AWS collector in production, a snapshot file in tests and demos). */
  sourceFor(account?: string): Promise<SnapshotSource>;
  clock: () => Date;
  delivery?: Partial<DeliveryOptions>;
  /** One-click fixers on the fixer role's credentials (absent: *Fix it* says fixes are not set up). */
  fixers?: FixerRegistry;
  /** The configured Slack user groups as resolved so far (src/slack/user-groups.ts); absent: groups grant nobody. */
  userGroups?: { current(): UserGroupLookups } & UserGroupRefresh;
}

const lookupsOf = (input: RuntimeInput) => () => input.userGroups?.current() ?? NO_LOOKUPS;

export interface Runtime {
  scans: ScanRunner;
  /** Delivers whatever is due in the outbox (start-up catches up after a crash or an outage). */
  deliver(): Promise<Awaited<ReturnType<typeof deliverOutbox>>>;
}

export function createRuntime(input: RuntimeInput): Runtime {
  const { config, catalog, db, logger, clock } = input;
  const rules = new Map(catalog.rules.map((rule) => [rule.id, rule]));
  const ruleInfo = new Map<string, RuleInfo>(catalog.rules.map((r) => [r.id, { title: r.title, compliance: r.compliance, fix: r.fix }]));
  const options: DeliveryOptions = { ...DEFAULT_DELIVERY_OPTIONS, severities: new Set(config.notifications.severities), securityChannel: config.securityChannel ?? null, ...input.delivery };
  const deliveryStore = createSqliteDeliveryStore(db);
  const deliveryClock = { now: clock, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
  const deliver = serializeDelivery(() => deliverOutbox({ store: deliveryStore, notifier: input.notifier, rules: ruleInfo, clock: deliveryClock }, options));
  const readModel = createSqliteReadModel(db);
  const teams = liveView(lookupsOf(input), (lookups) => teamMembershipsOf(config, lookups));
  const home = input.app ? createHomePublisher({
    client: input.app.client, readModel, viewers: createSqliteHomeViewers(db), ruleTitles: new Map(catalog.rules.map((r) => [r.id, r.title])),
    teamOf: (user) => teams().find((t) => isMember(t, user))?.handle ?? null, clock, logger,
  }) : undefined;

  const runOnce = async (trigger: string, account?: string): Promise<ScanResult> => {
    // The scan runs in a worker thread when its source can be re-created there (src/scan-worker.ts), so a long
    // persisting transaction never delays Slack's 3-second acks; injected source objects scan in-process.
    const { runScan } = await import("./scan-worker.js");
    const source = await input.sourceFor(account);
    const outcome = await runScan(db, source, {
      config, rules: catalog.rules, trigger, now: clock(), holder: { holder: `scan-${randomUUID()}`, pid: process.pid, host: hostname() },
      scanId: `${clock().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${randomUUID().slice(0, 8)}`,
    }, clock);
    const delivered = await deliver();
    logger.info({ scanId: outcome.persisted.scanId, trigger, ran: outcome.ran, ...outcome.persisted.transitions, delivered }, "scan persisted and delivered");
    if (home) await home.publishAll();
    const { scanId, written, transitions, outboxQueued } = outcome.persisted;
    return { scanId, written, transitions, outboxQueued, delivered };
  };
  const scans = createScanRunner(runOnce);
  if (input.app && home) registerListeners(input.app, slackDepsOf(input, rules, readModel, scans, home, deliveryStore, deliver));
  return { scans, deliver };
}

function slackDepsOf(input: RuntimeInput, rules: Map<string, Catalog["rules"][number]>, readModel: ReturnType<typeof createSqliteReadModel>, scans: ScanRunner, home: ReturnType<typeof createHomePublisher>, store: ReturnType<typeof createSqliteDeliveryStore>, deliver: () => Promise<unknown>) {
  const ruleListings: RuleListing[] = input.catalog.rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, resource: r.resource, compliance: r.compliance, fix: r.fix }));
  const vocabulary: CommandVocabulary = {
    teams: input.config.teams.map((t) => t.handle), frameworks: Object.keys(input.catalog.frameworks), ruleIds: new Set(rules.keys()),
    // Read per command: accounts discovered by the latest scans can be scanned by id or name without a restart.
    get accounts() {
      return commandAccounts(input.config.accounts, loadScannedAccounts(input.db));
    },
  };
  const findings = { load: async (id: number) => (await store.loadFindingViews([id])).get(id) };
  const fixes = input.fixers ? fixDepsOf(input, input.fixers, rules, store) : undefined;
  const mutes = muteDepsOf(input, store, deliver);
  return { readModel, vocabulary, ruleListings, frameworks: input.catalog.frameworks, rules, findings, scans, home, clock: input.clock, logger: input.logger, fixes, mutes, userGroups: input.userGroups };
}

/** The configured accounts (their names win), then the other accounts the latest scans covered. */
function commandAccounts(configured: Config["accounts"], scanned: readonly { id: string; name?: string }[]): { id: string; name?: string }[] {
  const known = new Set(configured.map((a) => a.id));
  return [...configured.map((a) => ({ id: a.id, name: a.name })), ...scanned.filter((a) => !known.has(a.id))];
}

function muteDepsOf(input: RuntimeInput, store: ReturnType<typeof createSqliteDeliveryStore>, deliver: () => Promise<unknown>): MuteSlackDeps {
  const { config, db } = input;
  const policy = liveView(lookupsOf(input), (lookups) => mutePolicyOf(config, lookups));
  return {
    deliver,
    // A getter: every check reads the user groups' latest membership.
    mute: { store: createSqliteMuteStore(db, { frameworksOf: frameworksOfRules(input.catalog.rules) }), get policy() { return policy(); }, newId: createMuteIds(db), approvalsChannel: approvalsChannelOf(config) },
    approvalsChannel: approvalsChannelOf(config),
    defaultTimeZone: config.schedules.digest.timeZone,
    timeline: async (findingId) => loadFindingTimeline(db, findingId),
    async messageOf(findingId) {
      const ref = await store.messageOf(findingId);
      return ref ? { ref, grouped: (await store.findingsOfMessage(ref)).length > 1 } : undefined;
    },
  };
}

function fixDepsOf(input: RuntimeInput, fixers: FixerRegistry, rules: Map<string, Catalog["rules"][number]>, store: ReturnType<typeof createSqliteDeliveryStore>): FixSlackDeps {
  const { config, db } = input;
  const writeAudit = createAuditWriter(db);
  const policy = liveView(lookupsOf(input), (lookups) => fixPolicyOf(config, lookups));
  return {
    fix: {
      fixers, store: createFixRunStore(db), rules: (id) => rules.get(id), audit: async (entry) => writeAudit(entry),
      now: input.clock, newId: createFixRunIds(db), undoWindowMs: config.fixes.undoWindowMinutes * 60_000,
    },
    get policy() { return policy(); },
    enabledFor: (accountId) => fixerRoleOf(config, accountId) !== undefined,
    async messageOf(findingId) {
      const ref = await store.messageOf(findingId);
      return ref ? { ref, grouped: (await store.findingsOfMessage(ref)).length > 1 } : undefined;
    },
    undoWindowMinutes: config.fixes.undoWindowMinutes,
  };
}
