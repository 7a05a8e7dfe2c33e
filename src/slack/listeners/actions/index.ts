import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTION_IDS, decodeValue } from "../../ids.js";
import { buttonActionSchema } from "../../payloads.js";
import type { SlackDeps } from "../deps.js";
import { openRemediation } from "./remediation.js";

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

export function register(app: App, deps: SlackDeps): void {
  app.action(ACTION_IDS.remediationSteps, (args) => onRemediationButton(args as ActionArgs, deps));
  app.action(ACTION_IDS.findingMenu, (args) => onFindingMenu(args as ActionArgs, deps));
  // Fix it and Mute arrive with issues 5 and 6: say so instead of leaving the click unanswered.
  app.action(ACTION_IDS.fixIt, (args) => notYet(args as ActionArgs, "Fix it"));
  app.action(ACTION_IDS.mute, (args) => notYet(args as ActionArgs, "Mute"));
  app.action(ACTION_IDS.openLink, async ({ ack }) => ack());
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
  if (value.ok && value.value.action !== "remediation") return void respond({ response_type: "ephemeral", replace_original: false, text: `${value.value.action === "fix" ? "Fix it" : "Mute"} is not available yet.` });
  await openRemediation(value.ok ? value.value.findingId : undefined, payload, { client, respond }, deps);
}

async function notYet({ ack, respond }: ActionArgs, what: string): Promise<void> {
  await ack();
  await respond({ response_type: "ephemeral", replace_original: false, text: `${what} is not available yet: it arrives in a later Posture release.` });
}
