/** The training worker's entry point, bundled by webpack from `new URL("./train.worker.ts", import.meta.url)`. */
import { serveEngine } from "./serve-engine";

serveEngine(self as unknown as Parameters<typeof serveEngine>[0]);
