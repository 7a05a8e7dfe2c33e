import { z } from "zod";

/**
 * Every interactive id of the Slack app, shared by the Block Kit builders, the listeners and the manifest
 * test (STYLE habit 9). Ids are namespaced `posture.<surface>.<what>` so they read well in logs. Slack
 * caps action_id, block_id and callback_id at 255 characters; these are far below.
 */
export const SLASH_COMMAND = "/posture";

export const SUBCOMMANDS = {
  score: "score",
  findings: "findings",
  mutes: "mutes",
  scan: "scan",
  rules: "rules",
  audit: "audit",
  help: "help",
} as const;
export type Subcommand = (typeof SUBCOMMANDS)[keyof typeof SUBCOMMANDS];

export const ACTION_IDS = {
  /** Buttons on a finding message. */
  remediationSteps: "posture.finding.remediation_steps",
  fixIt: "posture.finding.fix_it",
  mute: "posture.finding.mute",
  /** Overflow menu next to each resource of a grouped message or a findings page; the option value says which action. */
  findingMenu: "posture.finding.menu",
  /** Approvals channel: decide a pending mute request. */
  muteApprove: "posture.mute.approve",
  muteDeny: "posture.mute.deny",
  /** A muted finding's message, or an approved request: the security team ends the mute early. */
  muteRevoke: "posture.mute.revoke",
  /** Thread reply after a fix: restore the stored configuration. */
  fixUndo: "posture.fix.undo",
  /** Fix preview modal: nothing to submit but the confirmation, kept for symmetry of logs. */
  fixConfirm: "posture.fix.confirm",
  /** `/posture findings`: the next page of the same filter. */
  findingsNextPage: "posture.findings.next_page",
  /** Link buttons still send block_actions; the listener only acks them. */
  openLink: "posture.link.open",
  /** Mute modal inputs (state.values[BLOCK_IDS.x][ACTION_IDS.x]). */
  muteReason: "posture.mute.reason",
  muteJustification: "posture.mute.justification",
  muteExpiry: "posture.mute.expiry",
  muteScope: "posture.mute.scope",
  muteTag: "posture.mute.tag",
  /** Mute modal: the "no expiry" checkbox (only when configuration allows permanent mutes). */
  mutePermanent: "posture.mute.permanent",
  /** Approver's optional comment on a mute decision. */
  muteDecisionComment: "posture.mute.decision_comment",
  /** Unmute modal inputs: the revoke reason and the required comment. */
  muteRevokeReason: "posture.mute.revoke_reason",
  muteRevokeComment: "posture.mute.revoke_comment",
} as const;
export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];

export const CALLBACK_IDS = {
  remediationModal: "posture.modal.remediation",
  muteModal: "posture.modal.mute",
  muteDecisionModal: "posture.modal.mute_decision",
  muteRevokeModal: "posture.modal.mute_revoke",
  fixPreviewModal: "posture.modal.fix_preview",
} as const;
export type CallbackId = (typeof CALLBACK_IDS)[keyof typeof CALLBACK_IDS];

/** Fixed block ids: the finding message's action row and the modal inputs a view_submission reads. */
export const BLOCK_IDS = {
  findingActions: "posture.finding.actions",
  findingsPager: "posture.findings.pager",
  muteReason: "posture.mute.reason",
  muteJustification: "posture.mute.justification",
  muteExpiry: "posture.mute.expiry",
  muteScope: "posture.mute.scope",
  muteTag: "posture.mute.tag",
  muteDecisionComment: "posture.mute.decision_comment",
  muteRevokeReason: "posture.mute.revoke_reason",
  muteRevokeComment: "posture.mute.revoke_comment",
} as const;
export type BlockId = (typeof BLOCK_IDS)[keyof typeof BLOCK_IDS];

/** Per-resource block of a grouped message: block ids must be unique within one message. */
export const resourceBlockId = (findingId: number): string => `posture.group.resource.${findingId}`;

/** Overflow menu options (value = an encoded `findingMenuValue`). */
export const FINDING_MENU_ACTIONS = ["remediation", "fix", "mute"] as const;
export type FindingMenuAction = (typeof FINDING_MENU_ACTIONS)[number];

const id = z.number().int().positive();
const severity = z.enum(["critical", "high", "medium", "low", "info"]);

/**
 * Versioned envelopes carried in button values, overflow option values and private_metadata. They say
 * which object a click is about, nothing more: they come back from the client and are NEVER trusted for
 * authorization. The listener re-reads the object and checks the clicking user against it.
 */
export const VALUE_SCHEMAS = {
  finding: z.strictObject({ v: z.literal(1), findingId: id }),
  findingMenu: z.strictObject({ v: z.literal(1), action: z.enum(FINDING_MENU_ACTIONS), findingId: id }),
  muteRequest: z.strictObject({ v: z.literal(1), muteId: id }),
  /** The decision modal's private_metadata: which request and which decision (the request message is found from the mute). */
  muteDecision: z.strictObject({ v: z.literal(1), muteId: id, decision: z.enum(["approve", "deny"]) }),
  /** The unmute modal's private_metadata: which mute (re-read and the revoker re-checked on submit). */
  muteRevoke: z.strictObject({ v: z.literal(1), muteId: id }),
  fixRun: z.strictObject({ v: z.literal(1), fixRunId: id }),
  findingsPage: z.strictObject({
    v: z.literal(1),
    team: z.string().max(100).optional(),
    severities: z.array(severity).max(5).optional(),
    ruleId: z.string().max(100).optional(),
    after: z.string().max(100),
  }),
  /** Modal private_metadata: the finding and, when opened from a message, where that message is. */
  modal: z.strictObject({
    v: z.literal(1),
    findingId: id,
    channelId: z.string().max(50).optional(),
    messageTs: z.string().max(50).optional(),
  }),
} as const;
export type ValueKind = keyof typeof VALUE_SCHEMAS;
export type ValueOf<K extends ValueKind> = z.infer<(typeof VALUE_SCHEMAS)[K]>;

/** Slack's caps: button value 2,000, overflow/select option value 150, view private_metadata 3,000. */
export const VALUE_LIMITS = { button: 2000, option: 150, privateMetadata: 3000 } as const;

export class ValueTooLongError extends Error {
  readonly code = "POSTURE_SLACK_VALUE_TOO_LONG";
}

/** JSON of a typed envelope; throws if it exceeds the limit of where it goes (a builder bug, not user input). */
export function encodeValue<K extends ValueKind>(kind: K, value: ValueOf<K>, limit: number = VALUE_LIMITS.button): string {
  const text = JSON.stringify(VALUE_SCHEMAS[kind].parse(value));
  if (text.length > limit) throw new ValueTooLongError(`${kind} value is ${text.length} characters, Slack allows ${limit}: ${text.slice(0, 80)}…`);
  return text;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses a value that came back from Slack. Tampered, truncated or outdated values give `ok: false`
 * with a reason for the log; the listener answers "this button is out of date", never guesses.
 */
export function decodeValue<K extends ValueKind>(kind: K, raw: string | undefined | null): Decoded<ValueOf<K>> {
  if (typeof raw !== "string" || raw.length === 0) return { ok: false, error: `${kind}: no value` };
  if (raw.length > VALUE_LIMITS.privateMetadata) return { ok: false, error: `${kind}: value too long (${raw.length} characters)` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: `${kind}: not JSON: ${raw.slice(0, 80)}` };
  }
  const parsed = VALUE_SCHEMAS[kind].safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ");
    return { ok: false, error: `${kind}: unexpected value (${issues})` };
  }
  return { ok: true, value: parsed.data as ValueOf<K> };
}
