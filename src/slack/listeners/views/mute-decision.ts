import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { decideMute } from "../../../app/mutes.js";
import { reasonLabel } from "../../blocks/mute-modal.js";
import { renderTransitionReply } from "../../blocks/transition-reply.js";
import { ACTION_IDS, BLOCK_IDS, decodeValue } from "../../ids.js";
import type { SlackDeps } from "../deps.js";
import { publishMuteStep } from "../mute-thread.js";
import { muteRequestMessage } from "./mute-request.js";

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const submissionSchema = z.looseObject({
  user: z.looseObject({ id: z.string().min(1), name: z.string().optional() }),
  view: z.looseObject({
    private_metadata: z.string().optional(),
    state: z.looseObject({
      values: z.looseObject({
        [BLOCK_IDS.muteDecisionComment]: z.looseObject({ [ACTION_IDS.muteDecisionComment]: z.looseObject({ value: z.string().nullish() }) }).optional(),
      }),
    }),
  }),
});

const fieldError = (text: string) => ({ response_action: "errors" as const, errors: { [BLOCK_IDS.muteDecisionComment]: text } });

/**
 * *Approve mute* / *Deny mute*: decideMute checks the approver again and decides once; then the request
 * message shows the decision, the finding messages their new state, and their threads who decided and why.
 */
export async function onMuteDecision({ ack, body, client }: ViewArgs, deps: SlackDeps): Promise<void> {
  const parsed = submissionSchema.safeParse(body);
  const meta = decodeValue("muteDecision", parsed.success ? parsed.data.view.private_metadata : undefined);
  const mutes = deps.mutes;
  if (!parsed.success || !meta.ok || !mutes) {
    deps.logger.warn({ error: parsed.success ? (meta.ok ? "mutes not set up" : meta.error) : parsed.error.message }, "mute decision refused: unreadable");
    return void (await ack(fieldError("This form is out of date: press Approve or Deny on the request again.")));
  }
  const comment = (parsed.data.view.state.values[BLOCK_IDS.muteDecisionComment]?.[ACTION_IDS.muteDecisionComment].value ?? "").trim();
  const { muteId, decision, channelId, messageTs } = meta.value;
  if (decision === "deny" && comment.length === 0) return void (await ack(fieldError("Say why it is denied: the requester reads it in the thread.")));
  const user = parsed.data.user;
  const now = deps.clock();
  const outcome = await decideMute(mutes.mute, { actor: { id: user.id, ...(user.name ? { name: user.name } : {}) }, muteId: String(muteId), decision, ...(comment ? { comment } : {}) }, now);
  if (!outcome.ok) return void (await ack(fieldError(outcome.reason)));
  await ack();
  const mute = outcome.mute;
  const finding = await deps.findings.load(mute.findingId);
  const rule = finding ? deps.rules.get(finding.ruleId) : undefined;
  if (!finding || !rule) return;
  // The metadata came back from the client: only this mute's own request message is rewritten (its stored
  // permalink names channel id and ts; the configured channel may be a #name).
  const own = (channel: string, ts: string) => channel === mutes.approvalsChannel || (mute.permalink?.includes(`/archives/${channel}/p${ts.replace(".", "")}`) ?? false);
  if (channelId && messageTs && own(channelId, messageTs)) {
    const message = muteRequestMessage(mute, finding, rule);
    await client.chat.update({ channel: channelId, ts: messageTs, text: message.text, blocks: message.blocks });
  }
  const base = { resourceName: finding.resource.name, at: now.toISOString() };
  if (decision === "deny") {
    const reply = renderTransitionReply({ ...base, findingId: finding.id, kind: "mute_denied", deniedBy: user.id, ...(comment ? { comment } : {}) });
    return publishMuteStep(client, mutes, finding, rule, { reply }, now);
  }
  const ids = new Set([finding.id, ...outcome.findings.map((f) => f.findingId)]);
  for (const id of ids) {
    const each = id === finding.id ? finding : await deps.findings.load(id);
    const eachRule = each ? deps.rules.get(each.ruleId) : undefined;
    if (!each || !eachRule) continue;
    const reply = renderTransitionReply({
      findingId: each.id, resourceName: each.resource.name, at: now.toISOString(), kind: "muted", requestedBy: mute.requestedBy, approvedBy: user.id,
      reason: reasonLabel(mute.reason), justification: comment ? `${mute.justification} (approver's comment: ${comment})` : mute.justification, until: mute.expiresAt,
    });
    await publishMuteStep(client, mutes, each, eachRule, { state: { kind: "muted", approvedBy: user.id, reason: reasonLabel(mute.reason), until: mute.expiresAt }, reply }, now);
  }
}
