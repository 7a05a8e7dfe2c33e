import type { App } from "@slack/bolt";
import { CALLBACK_IDS } from "../../ids.js";
import type { SlackDeps } from "../deps.js";

export function register(app: App, _deps: SlackDeps): void {
  // The remediation modal is read-only (no submit button). A client that submits it anyway gets an ack
  // that closes the modal, rather than Bolt's 404 after 3 seconds. Mute and fix modals add theirs here.
  app.view(CALLBACK_IDS.remediationModal, async ({ ack }) => ack());
}
