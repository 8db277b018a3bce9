/** The benchmark's training worker: serveEngine (the Web Worker's code) on the port it is handed, in a node worker thread. */
import { workerData } from "worker_threads";
import { serveEngine } from "../src/train/serve-engine";
import type { Endpoint } from "../src/train/worker-protocol";

serveEngine((workerData as { port: Endpoint }).port);
