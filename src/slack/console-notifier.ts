import type { Notifier } from "../app/slack-ports.js";
import type { Block, Message } from "./blocks/kit.js";
import { messageLink, renderMuteRequestNotice, renderMuteStepReply } from "./render-mute-notice.js";
import { renderNotice, renderTransition } from "./render-notice.js";

/**
 * The Notifier port without Slack: prints what would be posted (demo runs, a machine with no Slack app
 * yet). It renders through the same Block Kit renderers, so the demo shows the real messages' text.
 */
export function createConsoleNotifier(out: (text: string) => void, clock: () => Date): Notifier {
  let sequence = 0;
  const nextTs = () => `${Math.floor(clock().getTime() / 1000)}.${String(++sequence).padStart(6, "0")}`;
  return {
    async post(channel, notice) {
      const ts = nextTs();
      out(`── would post to ${channel} (ts ${ts}) ──\n${textOf(renderNotice(notice, clock()))}\n`);
      return { channel, ts };
    },
    async update(ref, notice) {
      out(`── would update ${ref.channel} ${ref.ts} ──\n${textOf(renderNotice(notice, clock()))}\n`);
    },
    async reply(ref, notice) {
      const message = renderTransition(notice);
      if (message) out(`── would reply in ${ref.channel} thread ${ref.ts} ──\n${textOf(message)}\n`);
    },
    async postMuteRequest(channel, notice) {
      const ts = nextTs();
      out(`── would post the mute request to ${channel} (ts ${ts}) ──\n${textOf(renderMuteRequestNotice(notice))}\n`);
      return { ref: { channel, ts }, permalink: messageLink(channel, ts) };
    },
    async updateMuteRequest(ref, notice) {
      out(`── would update the mute request ${ref.channel} ${ref.ts} ──\n${textOf(renderMuteRequestNotice(notice))}\n`);
    },
    async replyMuteStep(ref, notice) {
      out(`── would reply in ${ref.channel} thread ${ref.ts} ──\n${textOf(renderMuteStepReply(notice))}\n`);
    },
    async postDigest(channel, message, chart) {
      const ts = nextTs();
      // The blocks come from renderDigestMessage: Block Kit, so the console shows the digest's real text.
      out(`── would post the digest to ${channel} (ts ${ts}) ──\n${textOf({ text: message.text, blocks: message.blocks as Block[] })}\n`);
      if (chart) out(`── chart: ${chart.filename}, ${chart.png.byteLength} bytes ──\n`);
      return { ref: { channel, ts }, chart: chart ? "uploaded" : "none" };
    },
  };
}

/** The readable text of a message: its blocks' text (buttons as [labels]), else the fallback. */
export function textOf(message: Message): string {
  const lines = message.blocks.flatMap(blockLines);
  return (lines.length > 0 ? lines : [message.text]).join("\n");
}

function blockLines(block: Block): string[] {
  switch (block.type) {
    case "header":
      return [`# ${block.text.text}`];
    case "section":
      return [block.text?.text ?? "", ...(block.fields ?? []).map((f) => f.text)].filter((t) => t.length > 0);
    case "context":
      return [block.elements.map((e) => e.text).join("  ")];
    case "actions":
      return [block.elements.map((e) => (e.type === "button" ? `[${e.text.text}]` : "[…]")).join(" ")];
    case "divider":
      return ["---"];
  }
}
