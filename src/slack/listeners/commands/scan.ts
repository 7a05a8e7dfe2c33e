import type { RespondFn, AckFn, RespondArguments } from "@slack/bolt";
import type { CommandRequest } from "../../../app/posture-command.js";
import type { SlashCommandPayload } from "../../payloads.js";
import { renderScanFailed, renderScanFinished, renderScanStarted } from "../../render-answers.js";
import type { SlackDeps } from "../deps.js";

/** `/posture scan [account]`: ack now, scan in the background (or join the running one), tell the user at the end. */
export async function startScan(request: Extract<CommandRequest, { kind: "scan" }>, payload: SlashCommandPayload, io: { ack: AckFn<string | RespondArguments>; respond: RespondFn }, deps: SlackDeps): Promise<void> {
  const ticket = deps.scans.request(`slack:${payload.user_id}`, request.account);
  await io.ack({ response_type: "ephemeral", ...renderScanStarted(ticket) });
  void ticket.done
    .then((result) => io.respond({ response_type: "ephemeral", replace_original: false, ...renderScanFinished(result) }))
    .catch((error: unknown) => io.respond({ response_type: "ephemeral", replace_original: false, ...renderScanFailed(error instanceof Error ? error.message : String(error)) }))
    .catch((error: unknown) => deps.logger.warn({ err: error }, "could not tell the user about the scan (response_url)"));
}
