import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { answerCommand } from "../../../app/command-answers.js";
import { ACTION_IDS, decodeValue } from "../../ids.js";
import { buttonActionSchema } from "../../payloads.js";
import { renderAnswer } from "../../render-answers.js";
import type { SlackDeps } from "../deps.js";
import { startFix, undoFromThread } from "./fix.js";
import { openMuteModal } from "./mute.js";
import { openMuteDecision } from "./mute-decision.js";
import { openMuteRevoke } from "./mute-revoke.js";
import { openRemediation } from "./remediation.js";

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

export function register(app: App, deps: SlackDeps): void {
  app.action(ACTION_IDS.remediationSteps, (args) => onRemediationButton(args as ActionArgs, deps));
  app.action(ACTION_IDS.findingMenu, (args) => onFindingMenu(args as ActionArgs, deps));
  app.action(ACTION_IDS.fixIt, (args) => onFixIt(args as ActionArgs, deps));
  app.action(ACTION_IDS.fixUndo, (args) => onFixUndo(args as ActionArgs, deps));
  app.action(ACTION_IDS.mute, (args) => onMute(args as ActionArgs, deps));
  app.action(ACTION_IDS.muteApprove, (args) => onMuteDecisionButton(args as ActionArgs, "approve", deps));
  app.action(ACTION_IDS.muteDeny, (args) => onMuteDecisionButton(args as ActionArgs, "deny", deps));
  app.action(ACTION_IDS.muteRevoke, (args) => onMuteRevokeButton(args as ActionArgs, deps));
  app.action(ACTION_IDS.findingsNextPage, (args) => onNextPage(args as ActionArgs, deps));
  app.action(ACTION_IDS.openLink, async ({ ack }) => ack());
}

/** *Next page* of `/posture findings`: the filter and cursor come back in the button value (a query, no authority). */
async function onNextPage({ ack, body, respond }: ActionArgs, deps: SlackDeps): Promise<void> {
  await ack();
  const value = decodeValue("findingsPage", buttonActionSchema.parse(body).actions[0]!.value);
  if (!value.ok) return void respond({ response_type: "ephemeral", replace_original: false, text: "This button is out of date: run `/posture findings` again." });
  const { team, severities, ruleId, after } = value.value;
  const answer = await answerCommand({ kind: "findings", team, severities, ruleId, after }, { readModel: deps.readModel, rules: deps.ruleListings, now: deps.clock() });
  await respond({ response_type: "ephemeral", replace_original: true, ...renderAnswer(answer, { rules: deps.ruleListings, frameworks: deps.frameworks, now: deps.clock() }) });
}

async function onRemediationButton({ ack, body, client, respond }: ActionArgs, deps: SlackDeps): Promise<void> {
  await ack();
  const payload = buttonActionSchema.parse(body);
  const value = decodeValue("finding", payload.actions[0]!.value);
  await openRemediation(value.ok ? value.value.findingId : undefined, payload, { client, respond }, deps);
}

async function onFindingMenu({ ack, body, client, respond }: ActionArgs, deps: SlackDeps): Promise<void> {
  await ack();
  const payload = buttonActionSchema.parse(body);
  const value = decodeValue("findingMenu", payload.actions[0]!.selected_option?.value);
  if (value.ok && value.value.action === "fix") return startFix(value.value.findingId, payload, { client, respond }, deps);
  if (value.ok && value.value.action === "mute") return openMuteModal(value.value.findingId, payload, { client, respond }, deps);
  await openRemediation(value.ok ? value.value.findingId : undefined, payload, { client, respond }, deps);
}

/** *Fix it*: the value names the finding; who may fix it is decided from the stored finding. */
async function onFixIt({ ack, body, client, respond }: ActionArgs, deps: SlackDeps): Promise<void> {
  await ack();
  const payload = buttonActionSchema.parse(body);
  const value = decodeValue("finding", payload.actions[0]!.value);
  if (!value.ok) deps.logger.warn({ user: payload.user.id, error: value.error }, "Fix it: unreadable button value");
  await startFix(value.ok ? value.value.findingId : undefined, payload, { client, respond }, deps);
}

async function onFixUndo({ ack, body, client, respond }: ActionArgs, deps: SlackDeps): Promise<void> {
  await ack();
  const payload = buttonActionSchema.parse(body);
  await undoFromThread(payload.actions[0]!.value, payload, { client, respond }, deps);
}

/** *Mute…*: the value names the finding; who may request is decided from the stored finding. */
async function onMute({ ack, body, client, respond }: ActionArgs, deps: SlackDeps): Promise<void> {
  await ack();
  const payload = buttonActionSchema.parse(body);
  const value = decodeValue("finding", payload.actions[0]!.value);
  if (!value.ok) deps.logger.warn({ user: payload.user.id, error: value.error }, "Mute: unreadable button value");
  await openMuteModal(value.ok ? value.value.findingId : undefined, payload, { client, respond }, deps);
}

/** *Approve* / *Deny* in the approvals channel: the value names the request; the approver is checked on the stored mute. */
async function onMuteDecisionButton({ ack, body, client, respond }: ActionArgs, decision: "approve" | "deny", deps: SlackDeps): Promise<void> {
  await ack();
  await openMuteDecision(decision, buttonActionSchema.parse(body), { client, respond }, deps);
}

/** *Unmute…*: the value names the mute; the security team and the mute's state are checked on the stored mute. */
async function onMuteRevokeButton({ ack, body, client, respond }: ActionArgs, deps: SlackDeps): Promise<void> {
  await ack();
  await openMuteRevoke(buttonActionSchema.parse(body), { client, respond }, deps);
}
