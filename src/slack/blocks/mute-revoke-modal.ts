import type { Severity } from "../../core/rule.js";
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS, encodeValue, VALUE_LIMITS } from "../ids.js";
import { severityBadge, severityOverrideNote, type SeverityOverrideView } from "./format.js";
import { context, modalTitle, section } from "./kit.js";
import { expiryText, input, option, reasonLabel, scopeText, UNMUTE_REASON_LABELS, UNMUTE_REASONS, type FormModalView, type MuteScopeView } from "./mute-modal.js";
import { quote } from "./mute-request.js";
import { code, md, raw, truncate, userMention } from "./text.js";

export interface MuteRevokeModalView {
  muteId: number;
  /** `severity` is the finding's effective severity (a severity override may have changed the rule's). */
  rule: { id: string; title: string; severity: Severity };
  severityOverride?: SeverityOverrideView;
  resourceName: string;
  requestedBy: string;
  approvedBy: string;
  reason: string;
  justification: string;
  expiresAt: string | null;
  scope: MuteScopeView;
}

/** The revoker's comment: as long as a justification, so the thread stays readable. */
export const REVOKE_COMMENT_MAX = 280;

/**
 * *Unmute…*: the security team ends an approved mute early, with a reason and a required comment (the
 * team reads both in the thread). private_metadata names the mute only: the listener re-reads it and
 * checks the revoker again on submit.
 */
export function renderMuteRevokeModal(view: MuteRevokeModalView): FormModalView {
  return {
    type: "modal",
    callback_id: CALLBACK_IDS.muteRevokeModal,
    title: modalTitle("Unmute"),
    submit: modalTitle("Unmute"),
    close: modalTitle("Cancel"),
    private_metadata: encodeValue("muteRevoke", { v: 1, muteId: view.muteId }, VALUE_LIMITS.privateMetadata),
    blocks: [
      section(md`*${truncate(view.rule.title, 300)}*\n${severityBadge(view.rule.severity)}${raw(severityOverrideNote(view.severityOverride, 200))} · ${code(truncate(view.resourceName, 200))}`),
      section(md`Muted ${raw(scopeText(view.scope, view.rule.id))}, ${raw(expiryText(view.expiresAt))}: requested by ${userMention(view.requestedBy)}, approved by ${userMention(view.approvedBy)}.\n*${reasonLabel(view.reason)}*\n${raw(quote(view.justification, 600))}`),
      context("Unmuting returns the findings to open or resolved by their latest scan result; they count in the score again."),
      input(BLOCK_IDS.muteRevokeReason, "Why unmute?", {
        type: "static_select", action_id: ACTION_IDS.muteRevokeReason, placeholder: { type: "plain_text", text: "Choose a reason", emoji: true },
        options: UNMUTE_REASONS.map((reason) => option(UNMUTE_REASON_LABELS[reason], reason)),
      }),
      input(
        BLOCK_IDS.muteRevokeComment,
        "Comment",
        { type: "plain_text_input", action_id: ACTION_IDS.muteRevokeComment, multiline: true, min_length: 1, max_length: REVOKE_COMMENT_MAX },
        { hint: `At most ${REVOKE_COMMENT_MAX} characters. Shown in the thread and kept in the audit log.` },
      ),
    ],
  };
}
