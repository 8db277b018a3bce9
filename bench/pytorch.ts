/**
 * PyTorch's side of `npm run bench`: bench/pytorch.py in a python3 child
 * process that keeps each model between rounds, so that its rounds alternate
 * with ours in one run. Used only when `python3 -c "import torch"` succeeds.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "child_process";
import * as path from "path";
import { createInterface } from "readline";
import type { ModelConfig } from "../src/model/config";
import type { OptimizerConfig } from "../src/model/optim";
import type { EncodedExample } from "../src/model/transformer";

export const PYTORCH_MISSING =
  'PyTorch not found (`python3 -c "import torch"` failed): install it with `apt-get install python3-torch` to add the PyTorch column.';

/**
 * The first python that can import torch, and torch's version: `python3` on
 * the PATH, else Debian's own /usr/bin/python3 (where `apt-get install
 * python3-torch` puts it, which a pyenv or venv python3 earlier on the PATH
 * does not see).
 */
export function findPytorch(): { python: string; version: string } | undefined {
  for (const python of ["python3", "/usr/bin/python3"]) {
    const run = spawnSync(python, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8", timeout: 120000 });
    if (run.status === 0) return { python, version: run.stdout.trim() };
  }
  return undefined;
}

/** Why PyTorch cannot build this model with its own layers, or undefined when it can. */
export function pytorchCannot(config: ModelConfig): string | undefined {
  return config.heads * config.dK === config.dModel
    ? undefined
    : `nn.MultiheadAttention needs heads × d_k = d_model, here ${config.heads} × ${config.dK} ≠ ${config.dModel}`;
}

export class PyTorch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];

  constructor(python: string) {
    this.child = spawn(python, [path.join(__dirname, "pytorch.py")]);
    createInterface({ input: this.child.stdout }).on("line", (line) => this.waiting.shift()?.resolve(line));
    this.child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    this.child.on("exit", (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`bench/pytorch.py exited with code ${code}`));
    });
  }

  private ask<T>(command: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve: (line) => resolve(JSON.parse(line) as T), reject });
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  /** Builds the model; resolves to its first step's loss and its parameter count. */
  build(
    name: string,
    config: ModelConfig,
    batch: readonly EncodedExample[],
    optimizer: OptimizerConfig,
  ): Promise<{ loss: number; parameters: number }> {
    const cell = {
      name,
      config,
      optimizer,
      source: batch.map((ex) => ex.source),
      decoderInput: batch.map((ex) => ex.decoderInput ?? []),
      target: batch.map((ex) => ex.target),
    };
    return this.ask({ cell });
  }

  round(name: string, seconds: number): Promise<{ steps: number; seconds: number }> {
    return this.ask({ round: name, seconds });
  }

  close(): void {
    this.child.stdin.end();
  }
}
