import { GenerateCredentialReportCommand, GetCredentialReportCommand, type IAMClient } from "@aws-sdk/client-iam";
import type { AccountScan } from "./account-scan.js";
import { AwsResponseFormatError } from "./errors.js";
import type { CredentialReport } from "./map-iam-principals.js";
import { parseCredentialReport } from "./parse-credential-report.js";

export interface PollTiming {
  sleep(ms: number): Promise<void>;
  now(): number;
  timeoutMs: number;
  /** First wait between polls; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export class CredentialReportTimeoutError extends Error {
  readonly code = "POSTURE_CREDENTIAL_REPORT_TIMEOUT";
  constructor(seconds: number) {
    super(`the credential report was not COMPLETE after ${seconds} s; raise scan.credentialReportTimeoutSeconds in posture.config.yml`);
    this.name = "CredentialReportTimeout";
  }
}

/**
 * GenerateCredentialReport starts (or reports on) generation; calling it again is how AWS documents
 * polling. AWS regenerates at most every 4 hours and otherwise answers COMPLETE at once
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html).
 */
export async function fetchCredentialReport(scan: AccountScan, iam: IAMClient, timing: PollTiming): Promise<CredentialReport> {
  const deadline = timing.now() + timing.timeoutMs;
  let delay = timing.initialDelayMs ?? 500;
  for (;;) {
    const { State } = await scan.limit(() => iam.send(new GenerateCredentialReportCommand({})));
    if (State === "COMPLETE") break;
    if (timing.now() + delay > deadline) throw new CredentialReportTimeoutError(Math.round(timing.timeoutMs / 1000));
    await timing.sleep(delay);
    delay = Math.min(delay * 2, timing.maxDelayMs ?? 8_000);
  }
  const output = await scan.limit(() => iam.send(new GetCredentialReportCommand({})));
  if (output.Content === undefined || output.GeneratedTime === undefined) {
    throw new AwsResponseFormatError("GetCredentialReport returned no Content or GeneratedTime");
  }
  const generatedAt = output.GeneratedTime.toISOString();
  // The SDK has already base64-decoded the Content blob into bytes.
  return parseCredentialReport(Buffer.from(output.Content).toString("utf8"), generatedAt);
}
