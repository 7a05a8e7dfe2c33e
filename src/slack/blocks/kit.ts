import { truncate, truncateMrkdwn } from "./text.js";

/**
 * The Block Kit subset Posture uses, typed locally (builders stay free of SDK types), and builders that
 * enforce Slack's limits so a long title or tag can never make Slack reject a post.
 * Limits: docs.slack.dev/reference/block-kit (see ../shared/reference/slack-and-datadog.md B3).
 */
export const LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  optionText: 75,
  overflowOptions: 5,
  modalTitle: 24,
  /** Slack rejects messages whose block text passes roughly 12-13k characters (bolt-js#2509): stay under. */
  messageChars: 11_000,
  /** The notification fallback; Slack truncates at 40k, but a notification shows a line or two. */
  fallbackText: 300,
} as const;

export interface PlainText { type: "plain_text"; text: string; emoji?: boolean }
export interface MrkdwnText { type: "mrkdwn"; text: string }
export type TextObject = PlainText | MrkdwnText;

export interface ButtonElement {
  type: "button";
  text: PlainText;
  action_id: string;
  value?: string;
  url?: string;
  style?: "primary" | "danger";
}
export interface OverflowOption { text: PlainText; value: string }
export interface OverflowElement { type: "overflow"; action_id: string; options: OverflowOption[] }

export interface HeaderBlock { type: "header"; text: PlainText; block_id?: string }
export interface SectionBlock { type: "section"; text?: MrkdwnText; fields?: MrkdwnText[]; accessory?: ButtonElement | OverflowElement; block_id?: string }
export interface ContextBlock { type: "context"; elements: MrkdwnText[]; block_id?: string }
export interface ActionsBlock { type: "actions"; elements: (ButtonElement | OverflowElement)[]; block_id?: string }
export interface DividerBlock { type: "divider"; block_id?: string }
export type Block = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | DividerBlock;

/** A chat.postMessage / chat.update / respond body: `text` is the notification and accessibility fallback. */
export interface Message { text: string; blocks: Block[] }
export interface ModalView { type: "modal"; callback_id: string; title: PlainText; close: PlainText; submit?: PlainText; private_metadata?: string; blocks: Block[] }
export interface HomeView { type: "home"; blocks: Block[] }

const plain = (text: string, max: number): PlainText => ({ type: "plain_text", text: truncate(text, max) || " ", emoji: true });
const mrkdwn = (text: string, max: number): MrkdwnText => ({ type: "mrkdwn", text: truncateMrkdwn(text, max) || " " });

export const header = (text: string): HeaderBlock => ({ type: "header", text: plain(text, LIMITS.headerText) });
export const divider = (): DividerBlock => ({ type: "divider" });

/** `text` is mrkdwn the caller escaped (use `md`). */
export function section(text: string, options: { accessory?: ButtonElement | OverflowElement; blockId?: string } = {}): SectionBlock {
  return { type: "section", text: mrkdwn(text, LIMITS.sectionText), ...(options.accessory ? { accessory: options.accessory } : {}), ...(options.blockId ? { block_id: options.blockId } : {}) };
}

export function fields(items: readonly string[]): SectionBlock {
  return { type: "section", fields: items.slice(0, LIMITS.fields).map((item) => mrkdwn(item, LIMITS.fieldText)) };
}

export function context(...items: string[]): ContextBlock {
  const present = items.filter((item) => item.length > 0).slice(0, LIMITS.contextElements);
  return { type: "context", elements: (present.length > 0 ? present : [" "]).map((item) => mrkdwn(item, LIMITS.sectionText)) };
}

export function actions(elements: (ButtonElement | OverflowElement)[], blockId?: string): ActionsBlock {
  return { type: "actions", elements: elements.slice(0, LIMITS.actionsElements), ...(blockId ? { block_id: blockId } : {}) };
}

export function button(text: string, actionId: string, options: { value?: string; url?: string; style?: "primary" | "danger" } = {}): ButtonElement {
  return { type: "button", text: plain(text, LIMITS.buttonText), action_id: actionId, ...options };
}

export function overflow(actionId: string, options: { text: string; value: string }[]): OverflowElement {
  return { type: "overflow", action_id: actionId, options: options.slice(0, LIMITS.overflowOptions).map((o) => ({ text: plain(o.text, LIMITS.optionText), value: o.value })) };
}

export function modalTitle(text: string): PlainText {
  return plain(text, LIMITS.modalTitle);
}

/**
 * Packs lines into as few sections as possible (each at most 3,000 characters), stopping at `maxBlocks`
 * sections or `maxChars` in total. Returns the sections and how many lines did not fit.
 */
export function packLines(lines: readonly string[], maxBlocks: number, maxChars = Number.POSITIVE_INFINITY): { blocks: SectionBlock[]; omitted: number } {
  const blocks: SectionBlock[] = [];
  let current = "";
  let used = 0;
  let placed = 0;
  for (const line of lines) {
    const fitted = truncateMrkdwn(line, LIMITS.sectionText);
    const joined = current ? `${current}\n${fitted}` : fitted;
    if (used + fitted.length + 1 > maxChars) break;
    if (joined.length <= LIMITS.sectionText) {
      current = joined;
    } else {
      if (blocks.length + 1 >= maxBlocks) break;
      blocks.push(section(current));
      current = fitted;
    }
    used += fitted.length + 1;
    placed += 1;
  }
  if (current) blocks.push(section(current));
  return { blocks, omitted: lines.length - placed };
}

/** Characters of text a message carries in its blocks (what Slack's hidden ~12k cap counts). */
export function blockTextLength(blocks: readonly Block[]): number {
  let total = 0;
  for (const block of blocks) {
    if (block.type === "header") total += block.text.text.length;
    if (block.type === "section") total += (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    if (block.type === "context") total += block.elements.reduce((n, e) => n + e.text.length, 0);
  }
  return total;
}
