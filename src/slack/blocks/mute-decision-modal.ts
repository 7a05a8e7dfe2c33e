import type { Severity } from "../../core/rule.js";
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS, encodeValue, VALUE_LIMITS } from "../ids.js";
import { severityBadge, severityOverrideNote, type SeverityOverrideView } from "./format.js";
import { context, modalTitle, section } from "./kit.js";
import { expiryText, input, reasonLabel, scopeText, type FormModalView, type MuteScopeView } from "./mute-modal.js";
import { quote } from "./mute-request.js";
import { code, md, raw, truncate, userMention } from "./text.js";

export type MuteDecision = "approve" | "deny";

export interface MuteDecisionModalView {
  muteId: number;
  decision: MuteDecision;
  /** `severity` is the finding's effective severity (a severity override may have changed the rule's). */
  rule: { id: string; title: string; severity: Severity };
  severityOverride?: SeverityOverrideView;
  resourceName: string;
  requestedBy: string;
  reason: string;
  justification: string;
  expiresAt: string | null;
  scope: MuteScopeView;
}

/** An approver's comment: as long as a justification, so the thread stays readable. */
export const DECISION_COMMENT_MAX = 280;

/**
 * The approver confirms Approve or Deny from the request message. A denial must say why (the requester
 * reads it in the thread); an approval may. private_metadata carries the mute id and decision: the listener
 * re-reads the request and checks the approver (never the requester) before deciding.
 */
export function renderMuteDecisionModal(view: MuteDecisionModalView): FormModalView {
  const approve = view.decision === "approve";
  return {
    type: "modal",
    callback_id: CALLBACK_IDS.muteDecisionModal,
    title: modalTitle(approve ? "Approve mute" : "Deny mute"),
    submit: modalTitle(approve ? "Approve mute" : "Deny mute"),
    close: modalTitle("Cancel"),
    private_metadata: encodeValue("muteDecision", { v: 1, muteId: view.muteId, decision: view.decision }, VALUE_LIMITS.privateMetadata),
    blocks: [
      section(md`*${truncate(view.rule.title, 300)}*\n${severityBadge(view.rule.severity)}${raw(severityOverrideNote(view.severityOverride, 200))} · ${code(truncate(view.resourceName, 200))}`),
      section(md`${userMention(view.requestedBy)} asks to mute ${raw(scopeText(view.scope, view.rule.id))}, ${raw(expiryText(view.expiresAt))}.\n*${reasonLabel(view.reason)}*\n${raw(quote(view.justification, 600))}`),
      context(approve ? "Approving removes the muted findings from the score until the mute expires or is revoked." : "The finding stays open; the requester sees your comment in the thread."),
      input(
        BLOCK_IDS.muteDecisionComment,
        approve ? "Comment (optional)" : "Why is it denied?",
        { type: "plain_text_input", action_id: ACTION_IDS.muteDecisionComment, multiline: true, max_length: DECISION_COMMENT_MAX, ...(approve ? {} : { min_length: 1 }) },
        { optional: approve, hint: `At most ${DECISION_COMMENT_MAX} characters. Shown in the thread and kept in the audit log.` },
      ),
    ],
  };
}
