import { policyDocumentSchema, type PolicyDocument } from "../core/policy-document.js";
import { AwsResponseFormatError } from "./errors.js";

/**
 * IAM returns policy documents URL-encoded (RFC 3986) and the JS SDK v3 does not decode them
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html).
 * Decode defensively: a document may also arrive already decoded (emulators, other SDK layers),
 * and a decoded JSON text can contain a literal "%" that must not be decoded twice.
 */
export function parsePolicyDocument(text: string, where: string): PolicyDocument {
  const trimmed = text.trim();
  const json = trimmed.startsWith("{") ? tryJson(trimmed) ?? tryJson(safeDecode(trimmed)) : tryJson(safeDecode(trimmed));
  if (json === undefined) throw new AwsResponseFormatError(`${where}: policy document is neither JSON nor URL-encoded JSON`);
  const parsed = policyDocumentSchema.safeParse(json);
  if (!parsed.success) {
    throw new AwsResponseFormatError(`${where}: policy document has an unexpected shape: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  return parsed.data;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
