/**
 * One scan at a time in this process (DESIGN section 2.1): a second request while a scan runs joins
 * it and gets the same result. The scan lease in the database still guards against other processes.
 */
export interface ScanResult {
  scanId: string;
  written: boolean;
  transitions: { new: number; reopened: number; resolved: number; deleted: number };
  outboxQueued: number;
  /** Findings posted and messages edited after the scan. */
  delivered: { posted: number; messages: number; updated: number; deferred: number } | null;
}

export interface ScanTicket {
  /** True when a scan was already running and this request joined it. */
  joined: boolean;
  /** The account the running scan covers (undefined: all). */
  account?: string;
  done: Promise<ScanResult>;
}

export interface ScanRunner {
  request(trigger: string, account?: string): ScanTicket;
  running(): boolean;
}

export type RunScanOnce = (trigger: string, account?: string) => Promise<ScanResult>;

export function createScanRunner(run: RunScanOnce): ScanRunner {
  let current: { account?: string; done: Promise<ScanResult> } | null = null;
  return {
    request(trigger, account) {
      if (current) return { joined: true, account: current.account, done: current.done };
      const done = run(trigger, account).finally(() => {
        current = null;
      });
      current = { account, done };
      return { joined: false, account, done };
    },
    running: () => current !== null,
  };
}
