import { CALLBACK_IDS, encodeValue, VALUE_LIMITS } from "../ids.js";
import { context, divider, header, LIMITS, modalTitle, section, type Block, type ModalView } from "./kit.js";
import { code, codeBlock, md, truncate } from "./text.js";

export interface FixPreviewModalView {
  fixRunId: number;
  ruleTitle: string;
  resource: { name: string; arn: string; accountId: string; region: string };
  preview: { summary: string; before: unknown; after: unknown; calls: readonly { service: string; operation: string; params: object }[]; notes: readonly string[] };
  undoWindowMinutes: number;
  /** Shown on top, e.g. when this preview replaces a stale one. */
  notice?: string;
}

/** Each configuration gets at most this much of a section's 3,000 characters; more is cut with "…". */
const CONFIG_CHARS = 1_400;
const MAX_CALLS_SHOWN = 5;

/**
 * DESIGN 2.4: the exact change before it is made. The submit button confirms; the run id in
 * private_metadata only names the preview, the listener re-checks who submits it.
 */
export function renderFixPreviewModal(view: FixPreviewModalView): ModalView {
  const { preview } = view;
  const calls = preview.calls.slice(0, MAX_CALLS_SHOWN).map((call) => section(md`${code(`${call.service}:${call.operation}`)}\n${codeBlock(JSON.stringify(call.params, null, 2), 1_200)}`));
  const blocks: Block[] = [
    ...(view.notice ? [context(md`:warning: ${truncate(view.notice, 500)}`)] : []),
    header(view.ruleTitle),
    context(md`${code(truncate(view.resource.name, 200))} · ${view.resource.accountId} · ${view.resource.region}`),
    section(md`*What this fix does*\n${truncate(preview.summary, 1_000)}`),
    section(md`*Before*\n${codeBlock(formatConfig(preview.before), CONFIG_CHARS)}`),
    section(md`*After*\n${codeBlock(formatConfig(preview.after), CONFIG_CHARS)}`),
    divider(),
    section(md`*AWS API calls* (with the fixer role, in this order)`),
    ...calls,
    ...(preview.calls.length > MAX_CALLS_SHOWN ? [context(md`…and ${String(preview.calls.length - MAX_CALLS_SHOWN)} more calls (all are in the audit log).`)] : []),
    ...preview.notes.slice(0, 5).map((note) => context(md`:information_source: ${truncate(note, 1_000)}`)),
    context(md`The current configuration is stored first; *Undo* restores it for ${String(view.undoWindowMinutes)} minutes after the fix.`),
  ];
  return {
    type: "modal",
    callback_id: CALLBACK_IDS.fixPreviewModal,
    title: modalTitle("Fix it"),
    submit: modalTitle("Apply fix"),
    close: modalTitle("Cancel"),
    private_metadata: encodeValue("fixRun", { v: 1, fixRunId: view.fixRunId }, VALUE_LIMITS.privateMetadata),
    blocks: blocks.slice(0, LIMITS.surfaceBlocks),
  };
}

export type FixStatusModalView =
  | { kind: "reading"; resourceName: string }
  | { kind: "applying"; resourceName: string }
  | { kind: "applied"; resourceName: string; summary: string; passes: boolean; reason?: string }
  | { kind: "failed"; resourceName: string; error: { code: string; message: string } }
  | { kind: "refused"; message: string };

/** The modal while Posture reads or writes AWS, and after: the finding's thread carries the record. */
export function renderFixStatusModal(view: FixStatusModalView): ModalView {
  return { type: "modal", callback_id: CALLBACK_IDS.fixPreviewModal, title: modalTitle("Fix it"), close: modalTitle("Close"), blocks: [section(statusText(view))] };
}

function statusText(view: FixStatusModalView): string {
  switch (view.kind) {
    case "reading":
      return md`:hourglass_flowing_sand: Reading the current configuration of ${code(truncate(view.resourceName, 200))}…`;
    case "applying":
      return md`:hourglass_flowing_sand: Applying the fix to ${code(truncate(view.resourceName, 200))} and verifying it…`;
    case "applied":
      return view.passes
        ? md`:white_check_mark: Fixed: ${code(truncate(view.resourceName, 200))} passes the check. ${truncate(view.summary, 1_000)}`
        : md`:warning: The change was applied but ${code(truncate(view.resourceName, 200))} still does not pass: ${truncate(view.reason ?? "unknown", 1_000)}`;
    case "failed":
      return md`:x: The fix failed and nothing was changed: ${code(view.error.code)} ${truncate(view.error.message, 1_000)}`;
    case "refused":
      return md`:no_entry: ${truncate(view.message, 2_000)}`;
  }
}

/** Configurations as indented JSON; `null` means "not configured", which reads better spelled out. */
function formatConfig(value: unknown): string {
  if (value === null || value === undefined) return "(none: not configured)";
  return JSON.stringify(value, null, 2) ?? String(value);
}

