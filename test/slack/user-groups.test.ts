import { webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clientOptionsOf } from "../../src/slack/create-app.js";
import { createUserGroupDirectory, type UserGroupDirectoryOptions } from "../../src/slack/user-groups.js";
import { startFakeSlack, type FakeSlack } from "../helpers/fake-slack/server.js";

const TOKEN = "xoxb-1111-2222-USERGROUPSECRET";
const APPROVERS = "S0APPROVE1";
const DATA = "S0DATA0001";
const MINUTE = 60_000;

let slack: FakeSlack;
let groups: Record<string, string[]>;
let clock: number;
let logs: { level: "warn" | "info"; obj: Record<string, unknown>; msg: string }[];

beforeEach(async () => {
  groups = { [APPROVERS]: ["U0BOB00001", "U0ALICE001"], [DATA]: ["U0DANA0001"] };
  // The fake answers usergroups.users.list from this record at each call: tests change membership by editing it.
  slack = await startFakeSlack({ userGroups: groups });
  clock = Date.parse("2026-11-27T08:00:00.000Z");
  logs = [];
});
afterEach(async () => {
  await slack.close();
});

/** The directory on the real WebClient (the Bolt app's options, no retries) against the fake Web API. */
function directory(options: Partial<UserGroupDirectoryOptions> = {}) {
  const client = new webApi.WebClient(TOKEN, { ...clientOptionsOf({ apiUrl: slack.apiUrl }), retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
  return createUserGroupDirectory({
    client, groupIds: [APPROVERS, DATA], now: () => clock, ttlMs: 5 * MINUTE, minRefreshMs: 30_000,
    logger: { warn: (obj: object, msg?: string) => void logs.push({ level: "warn", obj: obj as Record<string, unknown>, msg: msg ?? "" }), info: (obj: object, msg?: string) => void logs.push({ level: "info", obj: obj as Record<string, unknown>, msg: msg ?? "" }) } as never,
    ...options,
  });
}
const reads = (group?: string) => slack.callsOf("usergroups.users.list").filter((c) => group === undefined || c.body.usergroup === group).length;

describe("Slack user groups (usergroups.users.list against the fake Web API)", () => {
  it("resolves every configured group at start-up and answers from the cache afterwards", async () => {
    const groupsDirectory = directory();
    expect(groupsDirectory.current().size).toBe(0);
    await groupsDirectory.refreshAll();
    expect(Object.fromEntries(groupsDirectory.current())).toEqual({
      [APPROVERS]: { resolved: true, members: ["U0ALICE001", "U0BOB00001"] },
      [DATA]: { resolved: true, members: ["U0DANA0001"] },
    });
    const first = groupsDirectory.current();
    expect(groupsDirectory.current()).toBe(first);
    await groupsDirectory.refreshStale();
    expect(reads()).toBe(2);
  });

  it("re-reads a group in the background once its TTL has passed, and hands out a new map only when membership changed", async () => {
    const groupsDirectory = directory();
    await groupsDirectory.refreshAll();
    const before = groupsDirectory.current();
    clock += 4 * MINUTE;
    await groupsDirectory.refreshStale();
    expect(reads()).toBe(2);
    clock += 1 * MINUTE;
    await groupsDirectory.refreshStale();
    expect(reads()).toBe(4);
    expect(groupsDirectory.current()).toBe(before);
    groups[APPROVERS]!.push("U0CAROL001");
    clock += 5 * MINUTE;
    await groupsDirectory.refreshStale();
    expect(groupsDirectory.current()).not.toBe(before);
    expect(groupsDirectory.current().get(APPROVERS)).toEqual({ resolved: true, members: ["U0ALICE001", "U0BOB00001", "U0CAROL001"] });
  });

  it("refreshes on demand (someone just added is not refused for 5 minutes), at most once per 30 s per group", async () => {
    const groupsDirectory = directory();
    await groupsDirectory.refreshAll();
    clock += 31_000;
    groups[APPROVERS]!.push("U0CAROL001");
    expect(await groupsDirectory.refreshNow([APPROVERS])).toBe(true);
    expect(groupsDirectory.current().get(APPROVERS)).toMatchObject({ members: expect.arrayContaining(["U0CAROL001"]) });
    expect(reads(DATA)).toBe(1);

    // A refusal storm: 50 clicks within the next 30 s read the group no more.
    const storm = await Promise.all(Array.from({ length: 50 }, () => groupsDirectory.refreshNow([APPROVERS])));
    clock += 29_000;
    expect(await groupsDirectory.refreshNow([APPROVERS])).toBe(false);
    expect(storm.every((changed) => changed === false)).toBe(true);
    expect(reads(APPROVERS)).toBe(2);
    clock += 1_000;
    expect(await groupsDirectory.refreshNow([APPROVERS])).toBe(false);
    expect(reads(APPROVERS)).toBe(3);
  });

  it("concurrent on-demand refreshes of one group share a single read", async () => {
    const groupsDirectory = directory();
    const changed = await Promise.all([groupsDirectory.refreshNow([DATA]), groupsDirectory.refreshNow([DATA]), groupsDirectory.refreshNow([DATA, "S0UNKNOWN1"])]);
    expect(changed).toEqual([true, true, true]);
    expect(reads(DATA)).toBe(1);
    expect(reads()).toBe(1);
  });

  it("a missing scope grants nothing, says what to fix, and is logged once with Slack's error, never the token", async () => {
    slack.failWith("usergroups.users.list", "missing_scope");
    const groupsDirectory = directory();
    await groupsDirectory.refreshAll();
    expect(groupsDirectory.current().get(APPROVERS)).toEqual({
      resolved: false, problem: "the bot token lacks the usergroups:read scope: add it to the app's bot scopes (manifest.yml) and reinstall the app",
    });
    clock += 5 * MINUTE;
    await groupsDirectory.refreshStale();
    expect(reads()).toBe(4);
    expect(logs.map((l) => [l.level, l.obj.userGroup, l.obj.error])).toEqual([["warn", APPROVERS, "missing_scope"], ["warn", DATA, "missing_scope"]]);
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
    expect(JSON.stringify(logs)).not.toContain("xoxb-");
  });

  it("an unknown group id grants nothing and says to check the id", async () => {
    delete groups[DATA];
    const groupsDirectory = directory();
    await groupsDirectory.refreshAll();
    expect(groupsDirectory.current().get(DATA)).toEqual({ resolved: false, problem: `Slack knows no user group ${DATA} (no_such_subteam): check the id (the group's profile -> Copy group ID)` });
    expect(groupsDirectory.current().get(APPROVERS)).toMatchObject({ resolved: true });
  });

  it("Slack failing after a success keeps the last known membership, and recovery is logged", async () => {
    const groupsDirectory = directory();
    await groupsDirectory.refreshAll();
    const known = groupsDirectory.current();
    slack.failWith("usergroups.users.list", "internal_error", { times: 4 });
    clock += 5 * MINUTE;
    await groupsDirectory.refreshStale();
    clock += 5 * MINUTE;
    await groupsDirectory.refreshStale();
    expect(groupsDirectory.current()).toBe(known);
    expect(logs.filter((l) => l.level === "warn").map((l) => [l.obj.userGroup, l.obj.error, l.obj.keptLastKnown])).toEqual([[APPROVERS, "internal_error", true], [DATA, "internal_error", true]]);
    clock += 5 * MINUTE;
    await groupsDirectory.refreshStale();
    expect(logs.filter((l) => l.level === "info").map((l) => l.obj.userGroup)).toEqual([APPROVERS, DATA]);
  });

  it("Slack unreachable: nothing granted, the problem says Posture retries", async () => {
    await slack.close();
    const groupsDirectory = directory({ groupIds: [APPROVERS] });
    await groupsDirectory.refreshAll();
    expect(groupsDirectory.current().get(APPROVERS)).toMatchObject({ resolved: false, problem: expect.stringContaining("Posture retries in the background") });
    slack = await startFakeSlack();
  });

  it("start() reads every group, the background timer re-reads stale ones, stop() ends it", async () => {
    const groupsDirectory = directory({ now: Date.now, ttlMs: 20 });
    await groupsDirectory.start();
    expect(groupsDirectory.current().size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    groupsDirectory.stop();
    await new Promise((resolve) => setTimeout(resolve, 50)); // reads already sent finish
    const afterStop = reads();
    expect(afterStop).toBeGreaterThan(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reads()).toBe(afterStop);
  });
});
