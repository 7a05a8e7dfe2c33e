import type { Severity } from "../core/rule.js";

/** ANSI styling that collapses to plain text when colours are off (piped output, CI logs). */
export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: Severity, text: string): string;
  good(text: string): string;
  warn(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const SEVERITY_COLOURS: Record<Severity, (text: string) => string> = {
  critical: (text) => wrap(1, 22)(wrap(35, 39)(text)),
  high: wrap(31, 39),
  medium: wrap(33, 39),
  low: wrap(36, 39),
  info: wrap(2, 22),
};

export function createPaint(color: boolean): Paint {
  if (!color) {
    const plain = (text: string) => text;
    return { bold: plain, dim: plain, severity: (_s, text) => text, good: plain, warn: plain };
  }
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    severity: (severity, text) => SEVERITY_COLOURS[severity](text),
    good: wrap(32, 39),
    warn: wrap(33, 39),
  };
}
