import type { Collector } from "../app/ports.js";
import type { Config } from "../config.js";

/**
 * The AWS adapter is imported lazily: `posture scan --snapshot` and `posture rules` never load the
 * AWS SDK, which keeps them fast and lets them run where the SDK cannot reach AWS at all.
 */
export async function loadLiveCollector(config: Config): Promise<Collector> {
  const { createAwsCollector } = await import("../aws/collector.js");
  return createAwsCollector(config);
}
