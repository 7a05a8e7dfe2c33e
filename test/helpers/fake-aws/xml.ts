/** Tiny XML writer for the fake AWS endpoint and the nock fixtures. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function el(name: string, content: string | number | boolean | undefined | null): string {
  if (content === undefined || content === null) return "";
  return `<${name}>${typeof content === "string" ? content : String(content)}</${name}>`;
}

export function text(name: string, value: string | number | boolean | undefined | null): string {
  return value === undefined || value === null ? "" : el(name, escapeXml(String(value)));
}

/** A query-protocol list: <Name><member>..</member></Name>. */
export function members(name: string, items: readonly string[]): string {
  return `<${name}>${items.map((item) => `<member>${item}</member>`).join("")}</${name}>`;
}

const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

/** The query protocol envelope: <ActionResponse><ActionResult>..</ActionResult><ResponseMetadata/>. */
export function queryResponse(action: string, result: string, service: "iam" | "sts" = "iam"): string {
  const ns = service === "iam" ? IAM_NS : STS_NS;
  return `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result>`
    + `<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></${action}Response>`;
}

export function queryError(code: string, message: string, service: "iam" | "sts" = "iam", type: "Sender" | "Receiver" = "Sender"): string {
  const ns = service === "iam" ? IAM_NS : STS_NS;
  return `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`
    + `<RequestId>f1e1e1e1-0000-4000-8000-EXAMPLE</RequestId></ErrorResponse>`;
}

/** S3 and S3 Control REST errors. */
export function restError(code: string, message: string, extra = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}`
    + `<RequestId>4442587FB7D0A2F9</RequestId><HostId>ZXhhbXBsZS1ob3N0LWlk</HostId></Error>`;
}

export const S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";
export const S3_CONTROL_NS = "http://awss3control.amazonaws.com/doc/2018-08-20/";
