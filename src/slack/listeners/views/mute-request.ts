import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { requestMute, type MuteRequestInput } from "../../../app/mutes.js";
import { MUTE_PERMANENT_ID, MUTE_REASONS } from "../../blocks/mute-modal.js";
import { ACTION_IDS, BLOCK_IDS, decodeValue } from "../../ids.js";
import { messageLink } from "../../render-mute-notice.js";
import { viewSubmissionSchema } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";
import { kickDelivery, requesterTimeZone } from "../mute-thread.js";

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const TAG = /^([^=\s][^=]{0,127})=([^=]{0,255})$/;

/** The mute modal's submission, validated at the edge (STYLE habit 8): the use case validates again. */
const submissionSchema = viewSubmissionSchema({
  [BLOCK_IDS.muteReason]: z.looseObject({ [ACTION_IDS.muteReason]: z.looseObject({ selected_option: z.looseObject({ value: z.enum(MUTE_REASONS) }) }) }),
  [BLOCK_IDS.muteJustification]: z.looseObject({ [ACTION_IDS.muteJustification]: z.looseObject({ value: z.string().nullish() }) }),
  [BLOCK_IDS.muteExpiry]: z.looseObject({ [ACTION_IDS.muteExpiry]: z.looseObject({ selected_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish() }) }).optional(),
  [MUTE_PERMANENT_ID]: z.looseObject({ [MUTE_PERMANENT_ID]: z.looseObject({ selected_options: z.array(z.looseObject({ value: z.string() })).optional() }) }).optional(),
  [BLOCK_IDS.muteScope]: z.looseObject({ [ACTION_IDS.muteScope]: z.looseObject({ selected_option: z.looseObject({ value: z.enum(["finding", "rule_tag"]) }).nullish() }) }).optional(),
  [BLOCK_IDS.muteTag]: z.looseObject({ [ACTION_IDS.muteTag]: z.looseObject({ value: z.string().nullish() }) }).optional(),
});
type Values = z.infer<typeof submissionSchema>["view"]["state"]["values"];

type Parsed = { ok: true; input: Omit<MuteRequestInput, "actor" | "findingId"> } | { ok: false; errors: Record<string, string> };

/** The form's fields as the use case's input, or the field errors Slack shows under the inputs. */
export function parseMuteForm(values: Values): Parsed {
  const reason = values[BLOCK_IDS.muteReason][ACTION_IDS.muteReason].selected_option.value;
  const justification = values[BLOCK_IDS.muteJustification][ACTION_IDS.muteJustification].value ?? "";
  const permanent = (values[MUTE_PERMANENT_ID]?.[MUTE_PERMANENT_ID].selected_options ?? []).some((o) => o.value === "permanent");
  const date = values[BLOCK_IDS.muteExpiry]?.[ACTION_IDS.muteExpiry].selected_date ?? undefined;
  const scopeKind = values[BLOCK_IDS.muteScope]?.[ACTION_IDS.muteScope].selected_option?.value ?? "finding";
  const tagText = (values[BLOCK_IDS.muteTag]?.[ACTION_IDS.muteTag].value ?? "").trim();
  const errors: Record<string, string> = {};
  if (justification.trim().length === 0) errors[BLOCK_IDS.muteJustification] = "A justification is required.";
  if (!permanent && date === undefined) errors[BLOCK_IDS.muteExpiry] = "Choose a date, or tick *No expiry* if permanent mutes are allowed.";
  let scope: MuteRequestInput["scope"] = { kind: "finding" };
  if (scopeKind === "rule_tag") {
    const match = TAG.exec(tagText);
    if (!match) errors[BLOCK_IDS.muteTag] = "A rule-wide mute needs a tag selector key=value, for example public=intended.";
    else scope = { kind: "rule_tag", tag: { key: match[1]!.trim(), value: match[2]!.trim() } };
  } else if (tagText.length > 0) {
    errors[BLOCK_IDS.muteTag] = "A tag selector applies only to a rule-wide mute: choose that scope or clear the tag.";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { reason, justification, expiresAt: permanent ? null : date, scope } };
}

/** Field of the form a use-case refusal belongs to, so it is shown under that input. */
const FIELD_OF: Record<string, string> = {
  justification_required: BLOCK_IDS.muteJustification, justification_too_long: BLOCK_IDS.muteJustification,
  invalid_expiry: BLOCK_IDS.muteExpiry, invalid_time_zone: BLOCK_IDS.muteExpiry, expiry_in_past: BLOCK_IDS.muteExpiry, expiry_too_far: BLOCK_IDS.muteExpiry, permanent_not_allowed: BLOCK_IDS.muteExpiry,
};

/**
 * *Request mute*: parse, call requestMute (which queues the request message for the approvals channel and
 * the finding thread's reply in the same transaction), then kick delivery. Refusals (not allowed, already pending, bad expiry) are shown in the modal as field errors.
 */
export async function onMuteSubmit({ ack, body, client }: ViewArgs, deps: SlackDeps): Promise<void> {
  const parsed = submissionSchema.safeParse(body);
  const mutes = deps.mutes;
  const meta = decodeValue("modal", parsed.success ? parsed.data.view.private_metadata : undefined);
  if (!parsed.success || !meta.ok || !mutes) {
    deps.logger.warn({ error: parsed.success ? (meta.ok ? "mutes not set up" : meta.error) : parsed.error.message }, "mute submission refused: unreadable");
    return void (await ack({ response_action: "errors", errors: { [BLOCK_IDS.muteReason]: "This form is out of date: press *Mute…* on the finding again." } }));
  }
  const form = parseMuteForm(parsed.data.view.state.values);
  if (!form.ok) return void (await ack({ response_action: "errors", errors: form.errors }));
  const user = parsed.data.user;
  const timeZone = await requesterTimeZone(client, user.id, mutes.defaultTimeZone, deps.logger);
  const { channelId, messageTs } = meta.value;
  // The finding message the request was made from, until the request message has its own permalink.
  const actor = { id: user.id, ...(user.name ? { name: user.name } : {}), ...(channelId && messageTs ? { permalink: messageLink(channelId, messageTs) } : {}) };
  const outcome = await requestMute(mutes.mute, { ...form.input, timeZone, findingId: meta.value.findingId, actor }, deps.clock());
  if (!outcome.ok) {
    const field = FIELD_OF[outcome.code] ?? BLOCK_IDS.muteReason;
    return void (await ack({ response_action: "errors", errors: { [field]: outcome.reason } }));
  }
  await ack();
  if (!mutes.approvalsChannel) deps.logger.warn({ muteId: outcome.mute.id }, "mute request not posted: no mutes.approvalsChannel nor securityChannel configured");
  await kickDelivery(deps, { muteId: outcome.mute.id, step: "requested" });
}
