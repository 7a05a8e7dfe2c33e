import { expect } from "vitest";
import { blockTextLength, LIMITS, type HomeView, type Message, type ModalView } from "../../../src/slack/blocks/kit.js";
import { validateBlocks, validateHomeView, validateModalView } from "../../helpers/slack-schemas.js";

/** Deepest schema errors first: `block` is a oneOf of 21 types, so the shallow ones are noise. */
function errorsOf(validate: typeof validateBlocks): string[] {
  const errors = [...(validate.errors ?? [])].sort((a, b) => b.instancePath.length - a.instancePath.length);
  return errors.slice(0, 5).map((e) => `${e.instancePath} ${e.message}`);
}

/** A message Slack accepts: schema-valid blocks, at most 50 of them, text fallback, under the hidden size cap. */
export function expectValidMessage(message: Message): void {
  expect(validateBlocks(message.blocks) ? [] : errorsOf(validateBlocks)).toEqual([]);
  expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
  expect(message.text.length).toBeGreaterThan(0);
  expect(blockTextLength(message.blocks)).toBeLessThanOrEqual(LIMITS.messageChars);
  expectUniqueBlockIds(message.blocks);
}

export function expectValidModal(view: ModalView): void {
  expect(validateModalView(view) ? [] : errorsOf(validateModalView)).toEqual([]);
  expectUniqueBlockIds(view.blocks);
}

export function expectValidHome(view: HomeView): void {
  expect(validateHomeView(view) ? [] : errorsOf(validateHomeView)).toEqual([]);
  expectUniqueBlockIds(view.blocks);
}

/** Slack rejects a surface whose block_ids repeat (the schema does not check it). */
function expectUniqueBlockIds(blocks: readonly { block_id?: string }[]): void {
  const ids = blocks.map((b) => b.block_id).filter((id): id is string => id !== undefined);
  expect(new Set(ids).size).toBe(ids.length);
}

/** Every text a reader sees (not button values, which Slack never renders), for escaping assertions. */
export function visibleText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(visibleText).join("\n");
  if (value && typeof value === "object") {
    return Object.entries(value).filter(([key]) => key !== "value" && key !== "private_metadata").map(([, v]) => visibleText(v)).join("\n");
  }
  return "";
}
