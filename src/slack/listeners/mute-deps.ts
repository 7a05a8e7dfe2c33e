import type { MuteDeps } from "../../app/mutes.js";
import type { MessageRef } from "../../app/slack-ports.js";

/** What the *Mute…*, request and decision listeners need, built once in main-runtime.ts. */
export interface MuteSlackDeps {
  mute: MuteDeps;
  /** `mutes.approvalsChannel`, else the security channel; null: requests cannot be posted. */
  approvalsChannel: string | null;
  /** Where the finding's message is; `grouped`: it lists several findings and is not rewritten for one. */
  messageOf(findingId: number): Promise<{ ref: MessageRef; grouped: boolean } | undefined>;
  /**
   * Delivers the outbox now (serialized with every other delivery). Mute steps queue their Slack updates
   * in the transaction that records them; listeners only kick delivery, they never post a step themselves.
   */
  deliver(): Promise<unknown>;
  /** The zone a picked expiry date is read in when Slack cannot tell the requester's (`schedules.digest.timeZone`). */
  defaultTimeZone: string;
  /** `/posture audit <finding>`: the finding's audit entries, oldest first. */
  timeline(findingId: number): Promise<{ at: string; actor: string; action: string; details: Record<string, unknown> }[]>;
}
