// Worker-thread entry of a scan (see src/scan-worker.ts): loads TypeScript the way `npm start` does (tsx),
// then runs the scan module. Plain JavaScript, so that Node can start it without any loader.
import { register } from "tsx/esm/api";

register();
await import("./scan-worker-thread.ts");
