import { describe, expect, it } from "vitest";
import { serializeDelivery } from "../../src/app/deliver-outbox.js";

describe("serializeDelivery", () => {
  it("never runs two passes at once; requests during a pass share the one pass after it", async () => {
    let running = 0;
    let overlapped = false;
    const releases: (() => void)[] = [];
    let passes = 0;
    const deliver = serializeDelivery(async () => {
      running += 1;
      overlapped ||= running > 1;
      await new Promise<void>((resolve) => releases.push(resolve));
      running -= 1;
      return ++passes;
    });
    const first = deliver();
    const second = deliver();
    const third = deliver();
    expect(second).toBe(third);
    releases.shift()!();
    expect(await first).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    releases.shift()!();
    expect(await second).toBe(2);
    expect(overlapped).toBe(false);
    const fourth = deliver();
    await new Promise((resolve) => setTimeout(resolve, 0));
    releases.shift()!();
    expect(await fourth).toBe(3);
  });

  it("a failed pass does not block the next one", async () => {
    let calls = 0;
    const deliver = serializeDelivery(async () => {
      calls += 1;
      if (calls === 1) throw new Error("Slack down");
      return calls;
    });
    const failed = deliver();
    const next = deliver();
    await expect(failed).rejects.toThrow("Slack down");
    expect(await next).toBe(2);
  });
});
