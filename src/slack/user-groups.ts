import type { Logger } from "pino";
import type { UserGroupLookup, UserGroupLookups, UserGroupRefresh } from "../app/memberships.js";

/** The one Web API method used (needs the `usergroups:read` bot scope; Bolt's `app.client` has it). */
export interface UserGroupsClient {
  usergroups: { users: { list(args: { usergroup: string }): Promise<{ users?: string[] }> } };
}

export interface UserGroupDirectoryOptions {
  client: UserGroupsClient;
  /** The configured user group ids (memberships.ts `configuredUserGroups`). */
  groupIds: readonly string[];
  logger: Pick<Logger, "warn" | "info">;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
  /** How old a membership may get before the background refresh re-reads it (default 5 minutes). */
  ttlMs?: number;
  /** An on-demand refresh re-reads a group at most once per this many milliseconds (default 30 s). */
  minRefreshMs?: number;
  /** How long a refusal waits for an on-demand refresh before deciding with what is known (default 1.5 s). */
  onDemandBudgetMs?: number;
}

export interface UserGroupDirectory extends UserGroupRefresh {
  /** What is known now: a new map only when something changed (memberships.ts `liveView` relies on it). */
  current(): UserGroupLookups;
  /** Re-reads every group (start-up). */
  refreshAll(): Promise<void>;
  /** The background tick: re-reads the groups last read at least `ttlMs` ago. */
  refreshStale(): Promise<void>;
  /** refreshAll, then refreshStale on a timer until stop(). */
  start(): Promise<void>;
  stop(): void;
}

interface Entry {
  lookup?: UserGroupLookup;
  /** When the last read started (success or not): the TTL and the on-demand rate limit count from it. */
  attemptedAt?: number;
  inFlight?: Promise<boolean>;
  /** The error last logged, so a lasting failure is logged once, not on every refresh. */
  loggedError?: string;
}

/**
 * Slack user groups resolved to their member ids with `usergroups.users.list` and cached: read at
 * start-up, re-read in the background once older than the TTL, and re-read on demand (rate limited per
 * group) when a user would otherwise be refused. A failed read keeps the last known membership, or grants
 * nothing when there is none; it is logged once with Slack's error code (never the request, which
 * carries the token).
 */
export function createUserGroupDirectory(options: UserGroupDirectoryOptions): UserGroupDirectory {
  const { client, logger } = options;
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const minRefreshMs = options.minRefreshMs ?? 30_000;
  const budgetMs = options.onDemandBudgetMs ?? 1_500;
  const startBudgetMs = 10_000;
  const entries = new Map<string, Entry>([...new Set(options.groupIds)].map((id) => [id, {}]));
  let snapshot: UserGroupLookups = new Map();
  let timer: ReturnType<typeof setInterval> | undefined;

  const publish = () => {
    snapshot = new Map([...entries].flatMap(([id, e]) => (e.lookup ? [[id, e.lookup] as const] : [])));
  };

  async function read(id: string, entry: Entry): Promise<boolean> {
    entry.attemptedAt = now();
    try {
      const users = [...new Set((await client.usergroups.users.list({ usergroup: id })).users ?? [])].sort();
      const changed = entry.lookup?.resolved !== true || entry.lookup.members.join() !== users.join();
      if (entry.loggedError !== undefined) logger.info({ userGroup: id, members: users.length }, "Slack user group resolves again");
      entry.loggedError = undefined;
      entry.lookup = { resolved: true, members: users };
      if (changed) publish();
      return changed;
    } catch (error) {
      const failure = slackFailureOf(error, id);
      if (entry.loggedError !== failure.code) {
        logger.warn({ userGroup: id, error: failure.code, ...(failure.needed ? { needed: failure.needed } : {}), keptLastKnown: entry.lookup?.resolved === true }, "cannot resolve a Slack user group");
        entry.loggedError = failure.code;
      }
      // The last known membership stays (Slack down must not lock out approvers); none known: nobody.
      if (entry.lookup?.resolved === true) return false;
      const changed = entry.lookup?.resolved !== false || entry.lookup.problem !== failure.problem;
      entry.lookup = { resolved: false, problem: failure.problem };
      if (changed) publish();
      return changed;
    }
  }

  /** One read per group at a time: a caller arriving during a read shares it. */
  function refresh(id: string, entry: Entry): Promise<boolean> {
    entry.inFlight ??= read(id, entry).finally(() => (entry.inFlight = undefined));
    return entry.inFlight;
  }

  const refreshWhere = async (due: (id: string, entry: Entry) => boolean): Promise<boolean> =>
    (await Promise.all([...entries].filter(([id, e]) => due(id, e)).map(([id, e]) => refresh(id, e)))).some(Boolean);
  const olderThan = (entry: Entry, ms: number) => entry.attemptedAt === undefined || now() - entry.attemptedAt >= ms;

  const directory: UserGroupDirectory = {
    current: () => snapshot,
    refreshAll: async () => void (await refreshWhere(() => true)),
    refreshStale: async () => void (await refreshWhere((_id, e) => olderThan(e, ttlMs))),
    async refreshNow(ids) {
      const wanted = new Set(ids);
      const refreshing = refreshWhere((id, e) => wanted.has(id) && (e.inFlight !== undefined || olderThan(e, minRefreshMs)));
      // A slow Slack must not hold a click past Slack's 3 s: decide with what is known, the read goes on.
      return within(refreshing, budgetMs, false);
    },
    async start() {
      // Start-up waits for the first reads, but a hanging Slack does not hold Posture back (the timer retries).
      await within(directory.refreshAll(), startBudgetMs, undefined);
      if (entries.size === 0) return;
      timer = setInterval(() => void directory.refreshStale(), Math.min(ttlMs, 60_000));
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return directory;
}

/** The promise's value, or `fallback` once `ms` have passed (the promise itself goes on). */
async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What the Web API client threw, as Slack's error code and what to fix. `ok: false` answers carry
 * `data.error` (and `data.needed` for missing_scope); network and HTTP failures carry only the client's code.
 */
function slackFailureOf(error: unknown, id: string): { code: string; problem: string; needed?: string } {
  const data = (error as { data?: { error?: unknown; needed?: unknown } }).data;
  const code = typeof data?.error === "string" ? data.error : String((error as { code?: unknown }).code ?? "request_failed");
  const needed = typeof data?.needed === "string" ? data.needed : undefined;
  switch (code) {
    case "missing_scope":
      return { code, needed, problem: `the bot token lacks the ${needed ?? "usergroups:read"} scope: add it to the app's bot scopes (manifest.yml) and reinstall the app` };
    case "no_such_subteam":
    case "invalid_usergroup":
      return { code, problem: `Slack knows no user group ${id} (${code}): check the id (the group's profile -> Copy group ID)` };
    case "not_allowed_token_type":
    case "invalid_auth":
    case "token_revoked":
      return { code, problem: `Slack refused the bot token (${code}): reinstall the app and update SLACK_BOT_TOKEN` };
    default:
      return { code, problem: `Slack could not be asked (${code}); Posture retries in the background` };
  }
}
