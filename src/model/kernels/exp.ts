/**
 * exp(x) by fdlibm's algorithm (e_exp.c, Sun Microsystems, 1993; what V8's
 * Math.exp computes too), in plain IEEE operations with no fused
 * multiply-add: x = k·ln2 + r with |r| ≤ ln2/2, a degree-5 rational
 * approximation of e^r, then the exponent k. The softmax of both kernels
 * calls this one (and gemm.wat's $exp, its operation-for-operation twin), so
 * that both give the same bits on every engine, whatever that engine's own
 * Math.exp does. Error below 1 ulp (fdlibm's bound).
 *
 * fdlibm tests the high 32 bits of |x| against thresholds; a comparison of
 * |x| with the double whose high word is that threshold (and low word 0) is
 * the same test, and needs no reinterpretation of the bits here.
 */
const BIG = 709.7822265625; // high word 0x40862E42: |x| ≥ this may overflow or underflow
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.4513321910194110842e2;
const HALF_LN2 = 0.3465735912322998; // high word 0x3FD62E43: fdlibm's |x| > 0.5·ln2
const THREE_HALVES_LN2 = 1.0397205352783203; // high word 0x3FF0A2B2: |x| < 1.5·ln2
const TINY = 3.725290298461914e-9; // 2^-28
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const E = 2.718281828459045;
const TWO_1023 = 8.98846567431158e307;
const TWO_M1000 = 9.332636185032189e-302;

/** 2^e for e in [−1022, 1023], by exact doublings and halvings: POW2[e + 1022]. */
const POW2 = new Float64Array(2046);
POW2[1022] = 1;
for (let e = 1; e <= 1023; e++) POW2[1022 + e] = POW2[1021 + e] * 2;
for (let e = 1; e <= 1022; e++) POW2[1022 - e] = POW2[1023 - e] / 2;

export function exp(x: number): number {
  const a = Math.abs(x);
  if (a >= BIG) {
    if (x !== x) return x + x; // NaN
    if (a === Infinity) return x > 0 ? x : 0;
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0,
    lo = 0,
    k = 0;
  if (a >= HALF_LN2) {
    if (a < THREE_HALVES_LN2) {
      if (x === 1) return E;
      if (x < 0) {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      } else {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      }
    } else {
      k = Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
      hi = x - k * LN2_HI; // exact
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (a < TINY) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) return k === 1024 ? y * 2 * TWO_1023 : y * POW2[k + 1022];
  return y * POW2[k + 1000 + 1022] * TWO_M1000;
}
