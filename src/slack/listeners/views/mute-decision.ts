import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { decideMute } from "../../../app/mutes.js";
import { ACTION_IDS, BLOCK_IDS, decodeValue } from "../../ids.js";
import { viewSubmissionSchema } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";
import { kickDelivery } from "../mute-thread.js";

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const submissionSchema = viewSubmissionSchema({
  [BLOCK_IDS.muteDecisionComment]: z.looseObject({ [ACTION_IDS.muteDecisionComment]: z.looseObject({ value: z.string().nullish() }) }).optional(),
});

const fieldError = (text: string) => ({ response_action: "errors" as const, errors: { [BLOCK_IDS.muteDecisionComment]: text } });

/**
 * *Approve mute* / *Deny mute*: decideMute checks the approver again and decides once, queueing the Slack
 * updates (request message, finding messages, one thread reply each) in the same transaction; then delivery
 * is kicked. If Slack is unreachable now, the outbox retries them: nothing is posted from here.
 */
export async function onMuteDecision({ ack, body }: ViewArgs, deps: SlackDeps): Promise<void> {
  const parsed = submissionSchema.safeParse(body);
  const meta = decodeValue("muteDecision", parsed.success ? parsed.data.view.private_metadata : undefined);
  const mutes = deps.mutes;
  if (!parsed.success || !meta.ok || !mutes) {
    deps.logger.warn({ error: parsed.success ? (meta.ok ? "mutes not set up" : meta.error) : parsed.error.message }, "mute decision refused: unreadable");
    return void (await ack(fieldError("This form is out of date: press Approve or Deny on the request again.")));
  }
  const comment = (parsed.data.view.state.values[BLOCK_IDS.muteDecisionComment]?.[ACTION_IDS.muteDecisionComment].value ?? "").trim();
  const { muteId, decision } = meta.value;
  if (decision === "deny" && comment.length === 0) return void (await ack(fieldError("Say why it is denied: the requester reads it in the thread.")));
  const user = parsed.data.user;
  const now = deps.clock();
  const outcome = await decideMute(mutes.mute, { actor: { id: user.id, ...(user.name ? { name: user.name } : {}) }, muteId: String(muteId), decision, ...(comment ? { comment } : {}) }, now);
  if (!outcome.ok) return void (await ack(fieldError(outcome.reason)));
  await ack();
  await kickDelivery(deps, { muteId: outcome.mute.id, step: outcome.mute.state });
}
