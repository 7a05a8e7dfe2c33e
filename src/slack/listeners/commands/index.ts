import type { App, AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { answerCommand } from "../../../app/command-answers.js";
import { parseCommand } from "../../../app/posture-command.js";
import { SLASH_COMMAND } from "../../ids.js";
import { slashCommandSchema } from "../../payloads.js";
import { renderAnswer, renderCommandFailed } from "../../render-answers.js";
import type { SlackDeps } from "../deps.js";
import { answerMutesOrAudit } from "./mutes.js";
import { startScan } from "./scan.js";

/**
 * `/posture`: answered in the ack itself (one HTTP round trip, ephemeral) from indexed queries; a scan
 * is acknowledged at once and reported through response_url when it finishes.
 */
export function register(app: App, deps: SlackDeps): void {
  app.command(SLASH_COMMAND, (args) => handlePosture(args, deps));
}

export async function handlePosture({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs, deps: SlackDeps): Promise<void> {
  const payload = slashCommandSchema.parse(command);
  const request = parseCommand(payload.text, deps.vocabulary);
  if (request.kind === "scan") return startScan(request, payload, { ack, respond }, deps);
  if (request.kind === "mutes" || request.kind === "audit") {
    const message = await answerMutesOrAudit(request, deps).catch((error: unknown) => {
      deps.logger.error({ err: error, text: payload.text }, "/posture could not answer");
      return renderCommandFailed(payload.text);
    });
    return void (await ack({ response_type: "ephemeral", ...message }));
  }
  const answer = await answerCommand(request, { readModel: deps.readModel, rules: deps.ruleListings, now: deps.clock() }).catch((error: unknown) => {
    deps.logger.error({ err: error, text: payload.text }, "/posture could not answer");
    return undefined;
  });
  await ack({ response_type: "ephemeral", ...(answer ? renderAnswer(answer, { rules: deps.ruleListings, frameworks: deps.frameworks, now: deps.clock() }) : renderCommandFailed(payload.text)) });
}
