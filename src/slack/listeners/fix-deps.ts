import type { FixAuthorizationPolicy } from "../../app/fix-authorization.js";
import type { FixDeps } from "../../app/fix-ports.js";
import type { MessageRef } from "../../app/slack-ports.js";

/** What the *Fix it*, confirm and *Undo* listeners need, built once in main-runtime.ts. */
export interface FixSlackDeps {
  fix: FixDeps;
  policy: FixAuthorizationPolicy;
  /** Accounts with a configured fixer role; elsewhere *Fix it* is refused before any AWS call. */
  enabledFor(accountId: string): boolean;
  /** Where the finding's message is; `grouped`: it lists several findings and is not rewritten for one. */
  messageOf(findingId: number): Promise<{ ref: MessageRef; grouped: boolean } | undefined>;
  undoWindowMinutes: number;
}
