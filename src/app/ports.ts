import type { Snapshot } from "../core/snapshot.js";

export interface CollectProgress {
  /** One line for stderr: "123456789012: 40/120 buckets". */
  (message: string): void;
}

export interface CollectRequest {
  /** Top-level attributes that the enabled rules read, per resource type; nothing else is fetched. */
  reads: ReadonlyMap<string, ReadonlySet<string>>;
  /** Only these accounts (ids) when given. */
  accounts?: readonly string[];
  onProgress?: CollectProgress;
}

/** Collects the normalized snapshot; implemented by src/aws (live AWS) and by snapshot files. */
export interface Collector {
  collect(request: CollectRequest): Promise<Snapshot>;
  /**
   * Set by a live collector whose full collection (no `accounts` subset) lists every account in scope:
   * the configured ones, plus the discovered ones unless discovery failed (the snapshot then holds the
   * failed discovery's entry). Accounts of the stored state outside such a scan are retired
   * (`ReconcileRequest.accountScope`). A snapshot file or an injected snapshot never sets it.
   */
  readonly accountScope?: { configured: readonly string[] };
}
