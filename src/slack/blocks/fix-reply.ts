import { ACTION_IDS, encodeValue } from "../ids.js";
import { actions, button, type Message } from "./kit.js";
import { renderTransitionReply } from "./transition-reply.js";

/**
 * The change was applied but the resource still fails (another setting, the account's configuration):
 * the thread says why, and *Undo* stays offered since something was written.
 */
export function renderFixStillFailingReply(view: { findingId: number; resourceName: string; at: string; by: string; reason: string; fixRunId: number }): Message {
  const reply = renderTransitionReply({ findingId: view.findingId, resourceName: view.resourceName, at: view.at, kind: "fix_failed", by: view.by, reason: view.reason });
  const undo = button(":leftwards_arrow_with_hook: Undo fix", ACTION_IDS.fixUndo, { value: encodeValue("fixRun", { v: 1, fixRunId: view.fixRunId }), style: "danger" });
  return { text: reply.text, blocks: [...reply.blocks, actions([undo])] };
}
