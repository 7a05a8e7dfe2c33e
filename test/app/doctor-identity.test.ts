import { describe, expect, it } from "vitest";
import { baseIdentityFailure } from "../../src/app/doctor.js";

describe("baseIdentityFailure: what to fix when the base identity cannot be read", () => {
  it.each([
    ["Error", "connect ECONNREFUSED 127.0.0.1:9", "cannot reach AWS STS (Error: connect ECONNREFUSED 127.0.0.1:9): check the network or proxy, and AWS_ENDPOINT_URL if it is set"],
    ["Error", "getaddrinfo ENOTFOUND sts.amazonaws.com", "cannot reach AWS STS"],
    ["TimeoutError", "socket timed out", "cannot reach AWS STS"],
    ["ExpiredToken", "The security token included in the request is expired", "the AWS credentials have expired (ExpiredToken: The security token included in the request is expired): refresh them"],
    ["InvalidClientTokenId", "The security token included in the request is invalid.", "AWS refuses the base identity's credentials (InvalidClientTokenId: "],
    ["SignatureDoesNotMatch", "bad signature", "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"],
    ["CredentialsProviderError", "Could not load credentials from any providers", "no usable AWS credentials (CredentialsProviderError: Could not load credentials from any providers): set AWS_PROFILE"],
  ])("%s: %s", (code, message, expected) => {
    expect(baseIdentityFailure(code, message)).toContain(expected);
  });
});
