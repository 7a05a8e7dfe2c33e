import type { RespondFn, webApi } from "@slack/bolt";
import { renderRemediationModal } from "../../blocks/remediation-modal.js";
import type { ButtonActionPayload } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";

/**
 * *Remediation steps*: the finding is re-read (the button value only names it, STYLE habit 9) and the
 * modal opened with the trigger_id, which Slack accepts for 3 seconds and once.
 */
export async function openRemediation(findingId: number | undefined, payload: ButtonActionPayload, io: { client: webApi.WebClient; respond: RespondFn }, deps: SlackDeps): Promise<void> {
  const finding = findingId === undefined ? undefined : await deps.findings.load(findingId);
  const rule = finding ? deps.rules.get(finding.ruleId) : undefined;
  if (!finding || !rule) {
    await io.respond({ response_type: "ephemeral", replace_original: false, text: "This button is out of date: the finding or its rule is no longer known. Try `/posture findings`." });
    return;
  }
  const view = renderRemediationModal({
    findingId: finding.id, rule: { ...rule, severity: finding.severity }, ...(finding.severityOverride ? { severityOverride: finding.severityOverride } : {}), resource: { ...finding.resource, type: finding.resource.type as typeof rule.resource },
    channelId: payload.container?.channel_id ?? payload.channel?.id, messageTs: payload.container?.message_ts,
  });
  await io.client.views.open({ trigger_id: payload.trigger_id, view });
}
