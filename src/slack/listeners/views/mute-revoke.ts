import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { revokeMute } from "../../../app/mutes.js";
import { REVOKE_REASONS } from "../../../core/mutes.js";
import { ACTION_IDS, BLOCK_IDS, decodeValue } from "../../ids.js";
import { viewSubmissionSchema } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";
import { kickDelivery } from "../mute-thread.js";

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const submissionSchema = viewSubmissionSchema({
  [BLOCK_IDS.muteRevokeReason]: z.looseObject({ [ACTION_IDS.muteRevokeReason]: z.looseObject({ selected_option: z.looseObject({ value: z.enum(REVOKE_REASONS) }).nullish() }) }).optional(),
  [BLOCK_IDS.muteRevokeComment]: z.looseObject({ [ACTION_IDS.muteRevokeComment]: z.looseObject({ value: z.string().nullish() }) }).optional(),
});

const errors = (block: string, text: string) => ({ response_action: "errors" as const, errors: { [block]: text } });

/**
 * *Unmute*: revokeMute checks the security team and that the mute is still active (and audits a refusal),
 * ends it in one transaction with its queued Slack updates; then delivery is kicked. A refusal is shown in
 * the modal, to this user only.
 */
export async function onMuteRevoke({ ack, body }: ViewArgs, deps: SlackDeps): Promise<void> {
  const parsed = submissionSchema.safeParse(body);
  const meta = decodeValue("muteRevoke", parsed.success ? parsed.data.view.private_metadata : undefined);
  const mutes = deps.mutes;
  if (!parsed.success || !meta.ok || !mutes) {
    deps.logger.warn({ error: parsed.success ? (meta.ok ? "mutes not set up" : meta.error) : parsed.error.message }, "unmute refused: unreadable");
    return void (await ack(errors(BLOCK_IDS.muteRevokeReason, "This form is out of date: press Unmute… again.")));
  }
  const values = parsed.data.view.state.values;
  const reason = values[BLOCK_IDS.muteRevokeReason]?.[ACTION_IDS.muteRevokeReason].selected_option?.value;
  const comment = (values[BLOCK_IDS.muteRevokeComment]?.[ACTION_IDS.muteRevokeComment].value ?? "").trim();
  if (!reason) return void (await ack(errors(BLOCK_IDS.muteRevokeReason, "Choose why the mute ends.")));
  if (comment.length === 0) return void (await ack(errors(BLOCK_IDS.muteRevokeComment, "Say why it is unmuted: the team reads it in the thread.")));
  const user = parsed.data.user;
  const actor = { id: user.id, ...(user.name ? { name: user.name } : {}) };
  const outcome = await revokeMute(mutes.mute, { actor, muteId: String(meta.value.muteId), reason, comment }, deps.clock());
  if (!outcome.ok) return void (await ack(errors(BLOCK_IDS.muteRevokeReason, `Sorry, this mute cannot be unmuted: ${outcome.reason}`)));
  await ack();
  await kickDelivery(deps, { muteId: outcome.mute.id, step: "revoked" });
}
