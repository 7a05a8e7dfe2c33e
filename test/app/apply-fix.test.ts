import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { confirmFix, previewFix, undoFix, type FixRequest } from "../../src/app/apply-fix.js";
import { createMemoryFixRunStore, type FixDeps } from "../../src/app/fix-ports.js";
import type { AuditEntry } from "../../src/core/finding-events.js";
import { ACCOUNT, S3_CONTROL, bucketHost, s3Error, setUpNock, tearDownNock } from "../aws/nock-aws.js";
import { JSON_TYPE, XML, bucketTarget, exactBody, ruleWithFix, sub, testRegistry } from "../aws/fixers/fixer-harness.js";

const BUCKET = "shared-reports";
const HOST = bucketHost(BUCKET, "us-east-1");
const target = bucketTarget(BUCKET);
const FIXERS: Record<string, string> = {
  "s3-bucket-public-policy": "s3-bucket-policy-remove-public-statements",
  "s3-bucket-block-public-access": "s3-bucket-block-public-access",
};
const PUBLIC = { Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` };
const OWN = { Sid: "Own", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reports` }, Action: "s3:*", Resource: `arn:aws:s3:::${BUCKET}/*` };
const ORIGINAL = JSON.stringify({ Version: "2012-10-17", Statement: [OWN, PUBLIC] }, null, 1);
const FIXED = JSON.stringify({ Version: "2012-10-17", Statement: [OWN] });
const NO_BLOCK = [404, s3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", BUCKET), XML] as const;
const ALL_ON = '<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>';

function setUp() {
  let now = new Date("2026-01-15T12:00:00Z");
  let ids = 0;
  const audit: AuditEntry[] = [];
  const store = createMemoryFixRunStore();
  const deps: FixDeps = {
    fixers: testRegistry(), store, audit: async (entry) => void audit.push(entry), now: () => now, newId: () => `run-${++ids}`,
    rules: (id) => (FIXERS[id] ? ruleWithFix(id, FIXERS[id]) : undefined), undoWindowMs: 60 * 60 * 1000,
  };
  const advance = (ms: number) => { now = new Date(now.getTime() + ms); };
  return { deps, store, audit, advance };
}

const request = (ruleId: string): FixRequest => ({ findingId: 42, ruleId, target, team: "reporting", actor: "U0123ABCD" });
const getPolicy = (text: string) => nock(HOST).get("/").query(sub("policy")).reply(200, text, JSON_TYPE);
const getBlock = () => nock(HOST).get("/").query(sub("publicAccessBlock"));

describe("apply-fix use case", () => {
  beforeEach(setUpNock);
  afterEach(tearDownNock);

  it("previews, stores the previous configuration before applying, verifies, and undoes within the window", async () => {
    const { deps, store, audit } = setUp();
    getPolicy(ORIGINAL);
    const preview = await previewFix(deps, request("s3-bucket-public-policy"));
    if (preview.kind !== "preview") throw new Error(preview.kind);

    getPolicy(ORIGINAL);
    nock(HOST).put("/", exactBody(FIXED)).query(sub("policy")).reply(204);
    nock(HOST).get("/").query(sub("policyStatus")).reply(200, '<PolicyStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsPublic>false</IsPublic></PolicyStatus>', XML);
    getPolicy(FIXED);
    getBlock().reply(...NO_BLOCK);
    nock(S3_CONTROL).get("/v20180820/configuration/publicAccessBlock").reply(...NO_BLOCK);
    const confirmed = await confirmFix(deps, { fixRunId: preview.run.id, actor: "U0123ABCD" });
    expect(confirmed).toMatchObject({ kind: "applied", verification: { status: "pass" }, run: { state: "applied", undoUntil: "2026-01-15T13:00:00.000Z" } });
    expect(store.runs.get(preview.run.id)).toMatchObject({ previous: ORIGINAL, next: FIXED, appliedBy: "U0123ABCD" });

    getPolicy(FIXED);
    nock(HOST).put("/", exactBody(ORIGINAL)).query(sub("policy")).reply(204);
    expect(await undoFix(deps, { fixRunId: preview.run.id, actor: "U0456EFGH" })).toMatchObject({ kind: "undone", run: { state: "undone", undoneBy: "U0456EFGH" } });
    expect(audit.map((e) => e.action)).toEqual(["fix.previewed", "fix.applying", "fix.applied", "fix.undone"]);
    expect(audit[1]).toMatchObject({ actor: "U0123ABCD", subjectType: "finding", findingId: 42, details: { before: ORIGINAL, after: FIXED, resourceArn: target.arn } });
    expect(audit[3]!.details).toMatchObject({ before: FIXED, after: ORIGINAL });
  });

  it("refuses a stale preview (the policy changed since) and recomputes it, writing nothing", async () => {
    const { deps, store, audit } = setUp();
    getPolicy(ORIGINAL);
    const preview = await previewFix(deps, request("s3-bucket-public-policy"));
    if (preview.kind !== "preview") throw new Error(preview.kind);
    const changed = JSON.stringify({ Version: "2012-10-17", Statement: [OWN, PUBLIC, { ...PUBLIC, Sid: "AlsoPublic" }] });
    getPolicy(changed);
    getPolicy(changed);
    const result = await confirmFix(deps, { fixRunId: preview.run.id, actor: "U0123ABCD" });
    expect(result).toMatchObject({ kind: "stale", run: { state: "stale" }, fresh: { kind: "preview", run: { id: "run-2", state: "previewed", previous: changed } } });
    expect(store.runs.get(preview.run.id)!.state).toBe("stale");
    expect(audit.map((e) => e.action)).toEqual(["fix.previewed", "fix.stale", "fix.previewed"]);
  });

  it("refuses a fix while another one is running on the same resource", async () => {
    const { deps, store } = setUp();
    getBlock().reply(...NO_BLOCK);
    getBlock().reply(...NO_BLOCK);
    const first = await previewFix(deps, request("s3-bucket-block-public-access"));
    const second = await previewFix(deps, request("s3-bucket-block-public-access"));
    if (first.kind !== "preview" || second.kind !== "preview") throw new Error("no preview");
    expect(await store.claim(first.run.id, ["previewed"], "applying", {})).toBe(true);
    getBlock().reply(...NO_BLOCK);
    expect(await confirmFix(deps, { fixRunId: second.run.id, actor: "U0123ABCD" })).toMatchObject({ kind: "busy", busy: { id: first.run.id } });
    expect(store.runs.get(second.run.id)!.state).toBe("previewed");
  });

  it("reports AccessDenied with AWS's code and message, marks the run failed, and verifies nothing", async () => {
    const { deps, audit } = setUp();
    getBlock().reply(...NO_BLOCK);
    const preview = await previewFix(deps, request("s3-bucket-block-public-access"));
    if (preview.kind !== "preview") throw new Error(preview.kind);
    getBlock().reply(...NO_BLOCK);
    nock(HOST).put("/").query(sub("publicAccessBlock")).reply(403, s3Error("AccessDenied", "Access Denied", BUCKET), XML);
    const result = await confirmFix(deps, { fixRunId: preview.run.id, actor: "U0123ABCD" });
    expect(result).toMatchObject({ kind: "failed", error: { code: "AccessDenied", message: "Access Denied" }, run: { state: "failed" } });
    expect(audit.at(-1)).toMatchObject({ action: "fix.failed", details: { error: { code: "AccessDenied" }, rolledBack: [] } });
    expect(await confirmFix(deps, { fixRunId: preview.run.id, actor: "U0123ABCD" })).toMatchObject({ kind: "refused" });
  });

  it("refuses undo after the window, and when nothing was applied", async () => {
    const { deps, advance } = setUp();
    getBlock().reply(...NO_BLOCK);
    const preview = await previewFix(deps, request("s3-bucket-block-public-access"));
    if (preview.kind !== "preview") throw new Error(preview.kind);
    expect(await undoFix(deps, { fixRunId: preview.run.id, actor: "U0123ABCD" })).toMatchObject({ kind: "refused" });
    getBlock().reply(...NO_BLOCK);
    nock(HOST).put("/").query(sub("publicAccessBlock")).reply(200);
    getBlock().reply(200, ALL_ON, XML);
    nock(S3_CONTROL).get("/v20180820/configuration/publicAccessBlock").reply(...NO_BLOCK);
    expect(await confirmFix(deps, { fixRunId: preview.run.id, actor: "U0123ABCD" })).toMatchObject({ kind: "applied" });
    advance(60 * 60 * 1000 + 1);
    expect(await undoFix(deps, { fixRunId: preview.run.id, actor: "U0123ABCD" })).toMatchObject({ kind: "expired" });
  });

  it("answers not applicable and no fixer without storing a run", async () => {
    const { deps, store } = setUp();
    getBlock().reply(200, ALL_ON, XML);
    expect(await previewFix(deps, request("s3-bucket-block-public-access"))).toMatchObject({ kind: "not_applicable" });
    expect(await previewFix(deps, request("s3-bucket-versioning"))).toMatchObject({ kind: "no_fixer" });
    expect(store.runs.size).toBe(0);
  });
});
