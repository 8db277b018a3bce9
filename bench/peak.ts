/**
 * The float64 peak our WebAssembly kernel could reach on this core: a tight
 * f64x2 multiply-and-add loop (peak.wat) timed for a moment, best of a few
 * runs. The hardware's own peak is higher where it has wider vectors and a
 * fused multiply-add (AVX2/AVX-512 FMA), which baseline WebAssembly SIMD
 * cannot use; `cpuVectorFlags` reports what /proc/cpuinfo lists.
 */
import * as fs from "fs";
import * as path from "path";
import wabtInit from "wabt";

const FLOPS_PER_ITERATION = 48;

export async function wasmSimdPeakGflops(): Promise<number> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat("peak.wat", fs.readFileSync(path.join(__dirname, "peak.wat"), "utf8"), { simd: true });
  const bytes = new Uint8Array(parsed.toBinary({}).buffer);
  parsed.destroy();
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const run = exports.run as (iterations: number) => number;
  const iterations = 2e7;
  run(1e5);
  let best = 0;
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    run(iterations);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, (iterations * FLOPS_PER_ITERATION) / seconds / 1e9);
  }
  return best;
}

/** The vector and FMA flags of the first CPU in /proc/cpuinfo (empty elsewhere). */
export function cpuVectorFlags(): string[] {
  try {
    const flags = /^flags\s*:(.*)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1].trim().split(/\s+/) ?? [];
    return ["sse2", "avx", "avx2", "fma", "avx512f"].filter((f) => flags.includes(f));
  } catch {
    return [];
  }
}
