import type { RespondFn, webApi } from "@slack/bolt";
import { previewFix, undoFix } from "../../../app/apply-fix.js";
import { authorizeFix } from "../../../app/fix-authorization.js";
import { decideWithFreshGroups } from "../../../app/memberships.js";
import type { FixTarget } from "../../../app/fix-ports.js";
import type { StoredFindingView } from "../../../app/slack-ports.js";
import type { Rule } from "../../../core/rule.js";
import type { ResourceType } from "../../../core/snapshot.js";
import { renderFixPreviewModal, renderFixStatusModal } from "../../blocks/fix-preview-modal.js";
import { renderTransitionReply } from "../../blocks/transition-reply.js";
import { decodeValue } from "../../ids.js";
import type { ButtonActionPayload } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";
import type { FixSlackDeps } from "../fix-deps.js";
import { publishFixOutcome, refusalEntry } from "../fix-thread.js";

interface Io { client: webApi.WebClient; respond: RespondFn }
type Loaded = { fixes: FixSlackDeps; finding: StoredFindingView; rule: Rule };

const ephemeral = (respond: RespondFn, text: string) => respond({ response_type: "ephemeral", replace_original: false, text });
const OUT_OF_DATE = "This button is out of date: the finding, its rule or the fix is no longer known. Try `/posture findings`.";

export const targetOf = (finding: StoredFindingView): FixTarget => ({
  arn: finding.resource.arn, type: finding.resource.type as ResourceType, accountId: finding.resource.accountId, region: finding.resource.region, name: finding.resource.name,
});

/**
 * Loads the finding named by a click and checks the clicking user against its *current* team (the
 * button value only names the finding, STYLE habit 9). A refusal is answered and audited.
 */
async function loadAuthorized(findingId: number | undefined, user: string, step: string, respond: RespondFn, deps: SlackDeps): Promise<Loaded | undefined> {
  const fixes = deps.fixes;
  if (!fixes) return void (await ephemeral(respond, "One-click fixes are not set up: give accounts a `fixerRoleArn` in posture.config.yml (see the README, One-click fixes)."));
  const finding = findingId === undefined ? undefined : await deps.findings.load(findingId);
  const rule = finding ? deps.rules.get(finding.ruleId) : undefined;
  if (!finding || !rule) return void (await ephemeral(respond, OUT_OF_DATE));
  const authorization = await decideWithFreshGroups(() => authorizeFix(fixes.policy, user, finding.team), deps.userGroups);
  if (!authorization.allowed) {
    await fixes.fix.audit(refusalEntry(finding, user, deps.clock(), step, authorization.reason));
    deps.logger.info({ user, findingId: finding.id, step }, "fix refused: not the owning team or the security team");
    return void (await ephemeral(respond, `:no_entry: ${authorization.reason}`));
  }
  return { fixes, finding, rule };
}

/** *Fix it*: authorize, open a modal at once (the trigger_id lives 3 s), read AWS, show the preview. */
export async function startFix(findingId: number | undefined, payload: ButtonActionPayload, io: Io, deps: SlackDeps): Promise<void> {
  const user = payload.user.id;
  const loaded = await loadAuthorized(findingId, user, "fix_it", io.respond, deps);
  if (!loaded) return;
  const { fixes, finding, rule } = loaded;
  if (rule.fix === undefined) return void (await ephemeral(io.respond, `Rule ${rule.id} has no one-click fix: see *Remediation steps*.`));
  if (!fixes.enabledFor(finding.resource.accountId)) {
    await fixes.fix.audit(refusalEntry(finding, user, deps.clock(), "fix_it", `no fixer role for account ${finding.resource.accountId}`));
    return void (await ephemeral(io.respond, `One-click fixes are off for account ${finding.resource.accountId}: it has no \`fixerRoleArn\` in posture.config.yml.`));
  }
  const opened = await io.client.views.open({ trigger_id: payload.trigger_id, view: renderFixStatusModal({ kind: "reading", resourceName: finding.resource.name }) });
  const viewId = opened.view?.id;
  let result: Awaited<ReturnType<typeof previewFix>>;
  try {
    result = await previewFix(fixes.fix, { findingId: finding.id, ruleId: rule.id, target: targetOf(finding), team: finding.team, actor: user });
  } catch (error) {
    // An unexpected failure (fixer role refused, a bug) must not leave the modal spinning.
    deps.logger.error({ err: error, findingId: finding.id }, "fix preview failed");
    if (viewId) await io.client.views.update({ view_id: viewId, view: renderFixStatusModal({ kind: "refused", message: `The preview could not be made: ${(error as Error).message}` }) });
    return;
  }
  const view = result.kind === "preview"
    ? renderFixPreviewModal({ fixRunId: Number(result.run.id), ruleTitle: rule.title, resource: finding.resource, preview: result.run.preview, undoWindowMinutes: fixes.undoWindowMinutes })
    : renderFixStatusModal(result.kind === "aws_error"
      ? { kind: "failed", resourceName: finding.resource.name, error: result.error }
      : { kind: "refused", message: result.message });
  if (viewId) await io.client.views.update({ view_id: viewId, view });
}

/** *Undo* in the thread: the run is re-read and the user re-checked against the finding's team. */
export async function undoFromThread(raw: string | undefined, payload: ButtonActionPayload, io: Io, deps: SlackDeps): Promise<void> {
  const value = decodeValue("fixRun", raw);
  if (!value.ok) {
    deps.logger.warn({ user: payload.user.id, error: value.error }, "undo refused: unreadable button value");
    return void (await ephemeral(io.respond, OUT_OF_DATE));
  }
  const run = await deps.fixes?.fix.store.get(String(value.value.fixRunId));
  if (deps.fixes && !run) return void (await ephemeral(io.respond, OUT_OF_DATE));
  const user = payload.user.id;
  const loaded = await loadAuthorized(run?.findingId, user, "undo", io.respond, deps);
  if (!loaded || !run) return;
  const { fixes, finding, rule } = loaded;
  const result = await undoFix(fixes.fix, { fixRunId: run.id, actor: user });
  const now = deps.clock();
  switch (result.kind) {
    case "undone": {
      const reply = renderTransitionReply({ findingId: finding.id, resourceName: finding.resource.name, at: now.toISOString(), kind: "fix_undone", by: user });
      return publishFixOutcome(io.client, fixes, finding, rule, { reply }, now);
    }
    case "expired":
      return void (await ephemeral(io.respond, `The undo window of this fix closed at ${result.run.undoUntil ?? "its end"}: change the configuration back by hand (its previous value is in \`/posture audit ${finding.id}\`).`));
    case "changed":
      return void (await ephemeral(io.respond, "The resource changed after the fix: Posture will not overwrite someone else's change. Its previous configuration is in the audit log."));
    case "failed":
      return void (await ephemeral(io.respond, `:x: Undo failed and nothing was changed: \`${result.error.code}\` ${result.error.message}`));
    case "busy":
      return void (await ephemeral(io.respond, `Another fix or undo is running on ${finding.resource.name} (by <@${result.busy.requestedBy}>): try again when it finishes.`));
    case "refused":
      return void (await ephemeral(io.respond, result.message));
  }
}
