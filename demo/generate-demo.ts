// Regenerates demo/demo-snapshot.json: `npx tsx demo/generate-demo.ts`. The output is committed and
// deterministic (seeded, dates relative to a fixed collection time); a test checks both.
import { writeFileSync } from "node:fs";
import { snapshotSchema } from "../src/core/snapshot.js";
import { buildDemoSnapshot } from "./build-demo.js";

export const DEMO_SNAPSHOT_FILE = new URL("./demo-snapshot.json", import.meta.url);

const snapshot = snapshotSchema.parse(buildDemoSnapshot());
writeFileSync(DEMO_SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, 2)}\n`);
const count = (type: string) => snapshot.resources.filter((r) => r.type === type).length;
console.log(`wrote ${DEMO_SNAPSHOT_FILE.pathname}: ${snapshot.resources.length} resources, ${count("aws:s3:bucket")} buckets, `
  + `${count("aws:iam:user") + count("aws:iam:role") + count("aws:iam:group")} IAM principals`);
