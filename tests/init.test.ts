/**
 * Seeded initialisation: the generator matches an independent BigInt
 * implementation of mulberry32 (so it cannot drift between engines or
 * builds), and Glorot/Xavier weights have the right range and spread.
 */
import { initParams, paramSpecs, ModelConfig } from "../src/model/config";
import { Rng } from "../src/model/rng";

/** mulberry32 written with BigInt and explicit 32-bit wrapping, independently of src/model/rng.ts. */
function* mulberry32BigInt(seed: number): Generator<number> {
  const M = 0xffffffffn;
  let a = BigInt(seed >>> 0);
  const imul = (x: bigint, y: bigint) => (x * y) & M;
  for (;;) {
    a = (a + 0x6d2b79f5n) & M;
    let t = a;
    t = imul(t ^ (t >> 15n), t | 1n);
    t = (t ^ (t + imul(t ^ (t >> 7n), t | 61n))) & M;
    yield Number((t ^ (t >> 14n)) & M) / 4294967296;
  }
}

test("Rng equals an independent mulberry32 for several seeds", () => {
  for (const seed of [0, 1, 42, 123456789, 4294967295]) {
    const ours = new Rng(seed);
    const ref = mulberry32BigInt(seed);
    for (let i = 0; i < 1000; i++) expect(ours.next()).toBe(ref.next().value);
  }
});

const c: ModelConfig = {
  vocabSize: 40,
  dModel: 32,
  heads: 4,
  dK: 8,
  dFF: 64,
  sourceLen: 9,
  targetLen: 10,
  kind: "encoder-decoder",
  layers: 1,
  normalization: "softmax",
  scaled: true,
  peDims: 32,
};

test("the same seed gives the same weights; another seed gives others", () => {
  const a = initParams(c, 7),
    b = initParams(c, 7),
    other = initParams(c, 8);
  for (const s of paramSpecs(c)) expect(Array.from(a[s.name].data)).toEqual(Array.from(b[s.name].data));
  expect(Array.from(a.Enc_H1_Wq.data)).not.toEqual(Array.from(other.Enc_H1_Wq.data));
});

test("Glorot uniform: within ±√(6/(fan_in+fan_out)), variance near limit²/3; gains 1, biases 0", () => {
  const p = initParams(c, 3);
  for (const s of paramSpecs(c)) {
    const v = Array.from(p[s.name].data);
    if (s.kind === "gain") expect(v.every((x) => x === 1)).toBe(true);
    if (s.kind === "bias") expect(v.every((x) => x === 0)).toBe(true);
    if (s.kind === "weight" || s.kind === "embedding") {
      const limit = Math.sqrt(6 / (s.rows + s.cols));
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(limit);
      const variance = v.reduce((acc, x) => acc + x * x, 0) / v.length;
      // Each tensor has at least 256 values; the sample variance is within 35% of limit²/3.
      expect(Math.abs(variance / ((limit * limit) / 3) - 1)).toBeLessThan(0.35);
    }
  }
});
