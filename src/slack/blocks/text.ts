/**
 * Text for Slack's mrkdwn. Slack parses `&`, `<` and `>` as control characters everywhere in mrkdwn
 * (also inside code): an unescaped `<!channel>` in a bucket tag would ping a whole channel.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Already-formatted mrkdwn that `md` inserts as is. */
export class Mrkdwn {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}
export const raw = (text: string): Mrkdwn => new Mrkdwn(text);

/** Tagged template: every interpolated string or number is escaped unless it is `raw(...)`. Safe by default. */
export function md(strings: TemplateStringsArray, ...values: (string | number | Mrkdwn)[]): string {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += (value instanceof Mrkdwn ? value.text : escapeMrkdwn(String(value))) + (strings[i + 1] ?? "");
  });
  return out;
}

/** Cuts to at most `max` characters with an ellipsis, never inside a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Cuts escaped mrkdwn to `max` characters without splitting an entity (`&amp;`), a link or a date token
 * (`<...>`), and closes a code block the cut left open.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 5);
  const amp = text.lastIndexOf("&", end);
  if (amp >= 0 && amp > end - 6 && !text.slice(amp, end).includes(";")) end = amp;
  const open = text.lastIndexOf("<", end);
  if (open >= 0 && text.indexOf(">", open) >= end) end = open;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  let cut = `${text.slice(0, end)}…`;
  if ((cut.match(/```/g) ?? []).length % 2 === 1) cut += "```";
  return cut;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Inline code: escaped, and a backtick in the value cannot close the span early. */
export function code(text: string): Mrkdwn {
  return raw(`\`${escapeMrkdwn(text.replace(/`/g, "ˋ")) || " "}\``);
}

/** A fenced code block of escaped text, cut to fit `max` characters including the fences. */
export function codeBlock(text: string, max = 2900): Mrkdwn {
  const body = escapeMrkdwn(text.replace(/```/g, "ˋˋˋ").replace(/\n+$/, ""));
  return raw(`\`\`\`${truncateMrkdwn(body, max - 6)}\`\`\``);
}

/** `<url|label>` for http(s) URLs only; anything else is shown as escaped text. */
export function link(url: string, label: string): Mrkdwn {
  if (!/^https?:\/\//i.test(url)) return raw(escapeMrkdwn(label));
  return raw(`<${escapeMrkdwn(url).replace(/\|/g, "%7C")}|${escapeMrkdwn(label).replace(/\|/g, "¦")}>`);
}

export const userMention = (userId: string): Mrkdwn => raw(/^[UW][A-Z0-9]{2,20}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId));

/**
 * A date Slack shows in the reader's own time zone, with a UTC fallback for clients that cannot.
 * https://docs.slack.dev/messaging/formatting-message-text#date-formatting
 */
export function slackDate(iso: string, format = "{date_short_pretty} {time}"): Mrkdwn {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return raw(escapeMrkdwn(iso));
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return raw(`<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`);
}

/** "3 days", "5 hours", "12 minutes": the largest unit, for "first seen 3 days ago" and exposure. */
export function formatDuration(seconds: number): string {
  const units: [number, string][] = [[86_400, "day"], [3_600, "hour"], [60, "minute"]];
  for (const [size, name] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? "" : "s"}`;
  }
  return "less than a minute";
}

export function formatAgo(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  return seconds < 60 ? "just now" : `${formatDuration(seconds)} ago`;
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n.toLocaleString("en-US")} ${n === 1 ? word : many}`;
