import type { App } from "@slack/bolt";
import { CALLBACK_IDS } from "../../ids.js";
import type { SlackDeps } from "../deps.js";
import { onFixConfirm } from "./fix-preview.js";
import { onMuteDecision } from "./mute-decision.js";
import { onMuteSubmit } from "./mute-request.js";
import { onMuteRevoke } from "./mute-revoke.js";

export function register(app: App, deps: SlackDeps): void {
  // The remediation modal is read-only (no submit button). A client that submits it anyway gets an ack
  // that closes the modal, rather than Bolt's 404 after 3 seconds. Mute and fix modals add theirs here.
  app.view(CALLBACK_IDS.remediationModal, async ({ ack }) => ack());
  app.view(CALLBACK_IDS.fixPreviewModal, (args) => onFixConfirm(args as Parameters<typeof onFixConfirm>[0], deps));
  app.view(CALLBACK_IDS.muteModal, (args) => onMuteSubmit(args as Parameters<typeof onMuteSubmit>[0], deps));
  app.view(CALLBACK_IDS.muteDecisionModal, (args) => onMuteDecision(args as Parameters<typeof onMuteDecision>[0], deps));
  app.view(CALLBACK_IDS.muteRevokeModal, (args) => onMuteRevoke(args as Parameters<typeof onMuteRevoke>[0], deps));
}
