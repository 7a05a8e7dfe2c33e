import type { Severity } from "../../core/rule.js";
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS, encodeValue, VALUE_LIMITS } from "../ids.js";
import { severityBadge, severityOverrideNote, type SeverityOverrideView } from "./format.js";
import { context, LIMITS, modalTitle, section, type Block, type ModalView, type PlainText } from "./kit.js";
import { code, md, plural, raw, slackDate, truncate } from "./text.js";

/**
 * The mute vocabulary every mute surface shares (DESIGN 2.5; Datadog's reasons, reference D). Keys are
 * what a view_submission carries and what the mute backend stores (the same keys as src/core/mutes.ts);
 * labels are what a reader sees.
 */
export const MUTE_REASONS = ["false_positive", "risk_accepted", "pending_fix", "no_fix_available", "duplicate", "other"] as const;
export type MuteReason = (typeof MUTE_REASONS)[number];
export const MUTE_REASON_LABELS: Record<MuteReason, string> = {
  false_positive: "False positive",
  risk_accepted: "Risk accepted",
  pending_fix: "Pending fix",
  no_fix_available: "No fix available",
  duplicate: "Duplicate",
  other: "Other",
};

export const UNMUTE_REASONS = ["no_pending_fix", "human_error", "no_longer_accepted", "other"] as const;
export type UnmuteReason = (typeof UNMUTE_REASONS)[number];
export const UNMUTE_REASON_LABELS: Record<UnmuteReason, string> = {
  no_pending_fix: "No pending fix",
  human_error: "Human error",
  no_longer_accepted: "No longer an accepted risk",
  other: "Other",
};

/** Radio values of the scope input. */
export const MUTE_SCOPES = ["finding", "rule_tag"] as const;
export type MuteScopeKind = (typeof MUTE_SCOPES)[number];

/**
 * What a mute covers: one finding, or one rule on every resource carrying a tag (`public=intended`).
 * Shaped so the backend's `MuteScope` (src/core/mutes.ts) can be passed as it is.
 */
export type MuteScopeView = { kind: "finding" } | { kind: "rule_tag"; tag: { key: string; value: string } };

/** DESIGN 2.5 / reference D: Datadog caps a mute description at 280 characters. */
export const JUSTIFICATION_MAX = 280;
export const DEFAULT_MUTE_DAYS = 30;

/**
 * The *permanent* checkbox has no id in ids.ts yet: TODO move to ACTION_IDS/BLOCK_IDS (reported). Its
 * state is state.values[MUTE_PERMANENT_ID][MUTE_PERMANENT_ID], selected option value "permanent".
 */
export const MUTE_PERMANENT_ID = ACTION_IDS.mutePermanent;

/** Input blocks and their elements: kit.ts types only display blocks, so the form surfaces type them here. */
export interface Option { text: PlainText; value: string; description?: PlainText }
export type InputElement =
  | { type: "static_select"; action_id: string; placeholder?: PlainText; options: Option[]; initial_option?: Option }
  | { type: "plain_text_input"; action_id: string; multiline?: boolean; min_length?: number; max_length?: number; placeholder?: PlainText; initial_value?: string }
  | { type: "datepicker"; action_id: string; initial_date?: string; placeholder?: PlainText }
  | { type: "radio_buttons"; action_id: string; options: Option[]; initial_option?: Option }
  | { type: "checkboxes"; action_id: string; options: Option[]; initial_options?: Option[] };
export interface InputBlock { type: "input"; block_id: string; label: PlainText; element: InputElement; hint?: PlainText; optional?: boolean }

/** A modal with inputs: Slack requires `submit` once a view has an input block. */
export interface FormModalView extends Omit<ModalView, "blocks" | "submit"> { submit: PlainText; blocks: (Block | InputBlock)[] }

const INPUT_LABEL = 2000;
const plainText = (text: string, max: number): PlainText => ({ type: "plain_text", text: truncate(text, max) || " ", emoji: true });
export const option = (text: string, value: string, description?: string): Option => ({
  text: plainText(text, LIMITS.optionText),
  value,
  ...(description ? { description: plainText(description, LIMITS.optionText) } : {}),
});
export function input(blockId: string, label: string, element: InputElement, options: { hint?: string; optional?: boolean } = {}): InputBlock {
  return {
    type: "input",
    block_id: blockId,
    label: plainText(label, INPUT_LABEL),
    element,
    ...(options.hint ? { hint: plainText(options.hint, INPUT_LABEL) } : {}),
    ...(options.optional ? { optional: true } : {}),
  };
}

/** "Risk accepted"; an unknown key (a newer backend) is shown as it is rather than dropped. */
export const reasonLabel = (reason: string): string => MUTE_REASON_LABELS[reason as MuteReason] ?? reason;
export const unmuteReasonLabel = (reason: string): string => UNMUTE_REASON_LABELS[reason as UnmuteReason] ?? reason;

/** Escaped mrkdwn: "this finding only" or "rule `id` on every resource tagged `k=v`". */
export function scopeText(scope: MuteScopeView, ruleId: string): string {
  return scope.kind === "finding"
    ? "this finding only"
    : md`rule ${code(truncate(ruleId, 100))} on every resource tagged ${code(truncate(`${scope.tag.key}=${scope.tag.value}`, 200))}, now and in later scans`;
}

/** Escaped mrkdwn: "until Dec 2, 2026" (reader's time zone) or "permanently". */
export const expiryText = (expiresAt: string | null): string => (expiresAt ? md`until ${slackDate(expiresAt, "{date_short_pretty}")}` : "permanently");

/** The calendar day (YYYY-MM-DD) `days` after `now` for a reader `tzOffsetSeconds` east of UTC (Slack's `tz_offset`). */
export function localDatePlusDays(now: Date, tzOffsetSeconds: number, days: number): string {
  return new Date(now.getTime() + tzOffsetSeconds * 1000 + days * 86_400_000).toISOString().slice(0, 10);
}

export interface MuteModalView {
  findingId: number;
  /** `severity` is the finding's effective severity (a severity override may have changed the rule's). */
  rule: { id: string; title: string; severity: Severity };
  severityOverride?: SeverityOverrideView;
  resource: { name: string; accountId: string; region: string };
  team: string | null;
  /** The resource's tags, offered as the scope's example selector (the first one). */
  tags?: Readonly<Record<string, string>>;
  /** Clock and the requester's Slack `tz_offset` (seconds east of UTC): the default expiry is their today + 30 days. */
  now: Date;
  tzOffsetSeconds: number;
  /** Configuration: the longest mute in days, and whether a permanent mute may be requested. */
  maxDays: number;
  allowPermanent: boolean;
  /** Where the finding message is, so the submission can update it and thread the request. */
  channelId?: string;
  messageTs?: string;
}

/**
 * DESIGN 2.5 *Mute…*: the finding, then reason, justification, expiry and scope. The modal only asks;
 * the backend validates every value again (expiry within the maximum, tag syntax, scope rights).
 */
export function renderMuteModal(view: MuteModalView): FormModalView {
  const defaultDays = Math.max(1, Math.min(DEFAULT_MUTE_DAYS, view.maxDays));
  const latest = localDatePlusDays(view.now, view.tzOffsetSeconds, view.maxDays);
  const exampleTag = Object.entries(view.tags ?? {}).find(([key]) => key.toLowerCase() !== "name");
  const ruleOption = option("This rule on all resources with a tag", "rule_tag", truncate(`${view.rule.id}, tag key=value below`, LIMITS.optionText));
  const findingOption = option("This finding only", "finding");

  const blocks: (Block | InputBlock)[] = [
    section(md`*${view.rule.title}*\n${severityBadge(view.rule.severity)}${raw(severityOverrideNote(view.severityOverride, 200))} · ${code(truncate(view.resource.name, 200))} · ${view.resource.accountId} · ${view.resource.region}`),
    context(md`Team: ${view.team ?? "unowned"} · A muted finding leaves the score. An approver decides; everything is in the audit log.`),
    input(BLOCK_IDS.muteReason, "Reason", {
      type: "static_select",
      action_id: ACTION_IDS.muteReason,
      placeholder: plainText("Choose a reason", 150),
      options: MUTE_REASONS.map((reason) => option(MUTE_REASON_LABELS[reason], reason)),
    }),
    input(
      BLOCK_IDS.muteJustification,
      "Justification",
      { type: "plain_text_input", action_id: ACTION_IDS.muteJustification, multiline: true, min_length: 1, max_length: JUSTIFICATION_MAX, placeholder: plainText("Why is this acceptable, and what makes it safe?", 150) },
      { hint: `At most ${JUSTIFICATION_MAX} characters. The approvers and auditors read this.` },
    ),
    input(
      BLOCK_IDS.muteExpiry,
      "Mute until",
      { type: "datepicker", action_id: ACTION_IDS.muteExpiry, initial_date: localDatePlusDays(view.now, view.tzOffsetSeconds, defaultDays) },
      { hint: `At most ${plural(view.maxDays, "day")} (until ${latest}). The finding counts again after this day.`, optional: view.allowPermanent },
    ),
  ];
  if (view.allowPermanent) {
    blocks.push(input(MUTE_PERMANENT_ID, "No expiry", { type: "checkboxes", action_id: MUTE_PERMANENT_ID, options: [option("Mute permanently (ignores the date)", "permanent")] }, { optional: true }));
  }
  blocks.push(
    input(BLOCK_IDS.muteScope, "Scope", { type: "radio_buttons", action_id: ACTION_IDS.muteScope, options: [findingOption, ruleOption], initial_option: findingOption }),
    input(
      BLOCK_IDS.muteTag,
      "Tag selector",
      { type: "plain_text_input", action_id: ACTION_IDS.muteTag, max_length: 256, placeholder: plainText(exampleTag ? `${exampleTag[0]}=${exampleTag[1]}` : "public=intended", 150) },
      { hint: "Only for a rule-wide mute: key=value, for example public=intended.", optional: true },
    ),
  );
  return {
    type: "modal",
    callback_id: CALLBACK_IDS.muteModal,
    title: modalTitle("Mute finding"),
    submit: modalTitle("Request mute"),
    close: modalTitle("Cancel"),
    private_metadata: encodeValue("modal", { v: 1, findingId: view.findingId, ...(view.channelId ? { channelId: view.channelId } : {}), ...(view.messageTs ? { messageTs: view.messageTs } : {}) }, VALUE_LIMITS.privateMetadata),
    blocks,
  };
}
