#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx posture` works right after `npm install`
// with no build step. tsx's ESM loader is registered before the CLI module is imported.
import { register } from "tsx/esm/api";

register();
await import(new URL("../src/cli.ts", import.meta.url).href);
