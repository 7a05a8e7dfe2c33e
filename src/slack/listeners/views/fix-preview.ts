import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { confirmFix, type ConfirmResult } from "../../../app/apply-fix.js";
import { authorizeFix } from "../../../app/fix-authorization.js";
import { renderFixPreviewModal, renderFixStatusModal, type FixStatusModalView } from "../../blocks/fix-preview-modal.js";
import { renderFixStillFailingReply } from "../../blocks/fix-reply.js";
import type { ModalView } from "../../blocks/kit.js";
import { renderTransitionReply } from "../../blocks/transition-reply.js";
import { decodeValue } from "../../ids.js";
import type { SlackDeps } from "../deps.js";
import { publishFixOutcome, refusalEntry } from "../fix-thread.js";

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const submissionSchema = z.looseObject({
  user: z.looseObject({ id: z.string().min(1) }),
  view: z.looseObject({ id: z.string().min(1), private_metadata: z.string().optional() }),
});

const refused = (message: string): FixStatusModalView => ({ kind: "refused", message });

/**
 * *Apply fix* in the preview modal. The ack swaps in an "applying" view at once (Slack waits 3 s for
 * it, a fix with its verification may take longer); the outcome replaces it with `views.update`.
 */
export async function onFixConfirm({ ack, body, client }: ViewArgs, deps: SlackDeps): Promise<void> {
  const payload = submissionSchema.parse(body);
  const user = payload.user.id;
  const update = (view: ModalView) => ack({ response_action: "update", view });
  const value = decodeValue("fixRun", payload.view.private_metadata);
  const fixes = deps.fixes;
  const run = value.ok && fixes ? await fixes.fix.store.get(String(value.value.fixRunId)) : undefined;
  const finding = run ? await deps.findings.load(run.findingId) : undefined;
  const rule = finding ? deps.rules.get(finding.ruleId) : undefined;
  if (!fixes || !run || !finding || !rule) {
    deps.logger.warn({ user, error: value.ok ? "unknown fix run" : value.error }, "fix confirmation refused: unknown preview");
    return void (await update(renderFixStatusModal(refused("This preview is out of date: press *Fix it* on the finding again."))));
  }
  const authorization = authorizeFix(fixes.policy, user, finding.team);
  if (!authorization.allowed) {
    await fixes.fix.audit(refusalEntry(finding, user, deps.clock(), "confirm", authorization.reason));
    return void (await update(renderFixStatusModal(refused(authorization.reason))));
  }
  await update(renderFixStatusModal({ kind: "applying", resourceName: finding.resource.name }));
  const show = (view: ModalView) => client.views.update({ view_id: payload.view.id, view });
  let result: ConfirmResult;
  try {
    result = await confirmFix(fixes.fix, { fixRunId: run.id, actor: user });
  } catch (error) {
    deps.logger.error({ err: error, fixRunId: run.id }, "fix confirmation failed");
    return void (await show(renderFixStatusModal(refused(`The fix could not be completed: ${(error as Error).message}. Check the finding's thread and the audit log before retrying.`))));
  }
  const now = deps.clock();
  const base = { findingId: finding.id, resourceName: finding.resource.name, at: now.toISOString(), by: user };
  switch (result.kind) {
    case "applied": {
      const passes = result.verification.status === "pass" || result.verification.status === "not_applicable";
      const reason = verificationReason(result);
      await show(renderFixStatusModal({ kind: "applied", resourceName: finding.resource.name, summary: result.run.preview.summary, passes, reason }));
      const fixRunId = Number(result.run.id);
      const reply = passes
        ? renderTransitionReply({ ...base, kind: "fixed", summary: result.run.preview.summary, fixRunId, canUndo: true })
        : renderFixStillFailingReply({ ...base, reason: `The change was applied but a fresh read still fails: ${reason}`, fixRunId });
      return publishFixOutcome(client, fixes, finding, rule, { reply, ...(passes ? { state: { kind: "fixed" as const, by: user, at: now.toISOString() } } : {}) }, now);
    }
    case "failed": {
      await show(renderFixStatusModal({ kind: "failed", resourceName: finding.resource.name, error: result.error }));
      const reply = renderTransitionReply({ ...base, kind: "fix_failed", reason: `AWS refused the change: ${result.error.code}: ${result.error.message}` });
      return publishFixOutcome(client, fixes, finding, rule, { reply }, now);
    }
    case "stale": {
      const fresh = result.fresh;
      if (fresh.kind !== "preview") {
        return void (await show(renderFixStatusModal(fresh.kind === "aws_error" ? { kind: "failed", resourceName: finding.resource.name, error: fresh.error } : refused(`The resource changed since the preview: ${fresh.message}`))));
      }
      return void (await show(renderFixPreviewModal({
        fixRunId: Number(fresh.run.id), ruleTitle: rule.title, resource: finding.resource, preview: fresh.run.preview, undoWindowMinutes: fixes.undoWindowMinutes,
        notice: "The resource changed since the preview you confirmed, so nothing was applied. This is a fresh preview: check it and confirm again.",
      })));
    }
    case "busy":
      await fixes.fix.audit(refusalEntry(finding, user, now, "confirm", `fix run ${result.busy.id} is ${result.busy.state} on the same resource`));
      return void (await show(renderFixStatusModal(refused(`Another fix or undo is running on ${finding.resource.name} (previewed by ${result.busy.requestedBy}): nothing was applied. Try again when it finishes.`))));
    case "refused":
      return void (await show(renderFixStatusModal(refused(result.message))));
  }
}

function verificationReason(result: Extract<ConfirmResult, { kind: "applied" }>): string | undefined {
  const v = result.verification;
  return v.status === "fail" || v.status === "not_evaluated" ? v.reason : undefined;
}
