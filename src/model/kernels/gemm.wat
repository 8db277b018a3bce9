;; C (n × m, row-major, contiguous) += A·B in float64 with 128-bit SIMD.
;; Hand-written; tools/build-wasm.js assembles it with wabt into gemm-wasm.ts.
;;
;; A(i, p) is the f64 at a + i·ars + p·acs (byte strides, any layout, so Aᵀ
;; needs no copy); B(p, j) is at b + p·brs + 8j (unit column stride: the
;; caller packs a transposed B into rows first). Each output entry is summed
;; over p in order from 0 and then added to C (to 0 with $acc 0, C's old
;; values then never read: a fresh C needs no zeroing), as the JS kernel does,
;; with separate multiply and add (no fused multiply-add in baseline SIMD),
;; so both kernels give bit-identical results.
;;
;; Two rows of A at a time against four columns of B (two f64x2 lanes each)
;; keep a 2 × 4 block of C in four vector registers along the inner sum. An
;; odd last row runs as a pair with itself, writing its twin into `scratch`
;; (m doubles), so one row-pair routine covers every shape.
(module
  (memory (export "memory") 1)

  (func $rowPair
    (param $a0 i32) (param $a1 i32) (param $acs i32) (param $b i32) (param $brs i32)
    (param $c0 i32) (param $c1 i32) (param $k i32) (param $m i32) (param $keep v128)
    (local $j i32) (local $end i32) (local $p i32) (local $pa0 i32) (local $pa1 i32) (local $pb i32)
    (local $x0 v128) (local $x1 v128) (local $b0 v128) (local $b1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $t0 f64) (local $t1 f64) (local $y f64) (local $at i32)

    ;; Four columns at a time: j < m - m mod 4 (j in bytes).
    (local.set $end (i32.shl (i32.and (local.get $m) (i32.const -4)) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $done4
      (loop $cols4
        (br_if $done4 (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $s00 (v128.const f64x2 0 0)) (local.set $s01 (v128.const f64x2 0 0))
        (local.set $s10 (v128.const f64x2 0 0)) (local.set $s11 (v128.const f64x2 0 0))
        (local.set $pa0 (local.get $a0)) (local.set $pa1 (local.get $a1))
        (local.set $pb (i32.add (local.get $b) (local.get $j)))
        (local.set $p (local.get $k))
        (block $sum4
          (loop $inner4
            (br_if $sum4 (i32.eqz (local.get $p)))
            (local.set $x0 (f64x2.splat (f64.load (local.get $pa0))))
            (local.set $x1 (f64x2.splat (f64.load (local.get $pa1))))
            (local.set $b0 (v128.load align=8 (local.get $pb)))
            (local.set $b1 (v128.load offset=16 align=8 (local.get $pb)))
            (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $b0))))
            (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $b1))))
            (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $b0))))
            (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $b1))))
            (local.set $pa0 (i32.add (local.get $pa0) (local.get $acs)))
            (local.set $pa1 (i32.add (local.get $pa1) (local.get $acs)))
            (local.set $pb (i32.add (local.get $pb) (local.get $brs)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $inner4)))
        (local.set $at (i32.add (local.get $c0) (local.get $j)))
        (v128.store align=8 (local.get $at) (f64x2.add (v128.and (v128.load align=8 (local.get $at)) (local.get $keep)) (local.get $s00)))
        (local.set $at (i32.add (local.get $c0) (i32.add (local.get $j) (i32.const 16))))
        (v128.store align=8 (local.get $at) (f64x2.add (v128.and (v128.load align=8 (local.get $at)) (local.get $keep)) (local.get $s01)))
        (local.set $at (i32.add (local.get $c1) (local.get $j)))
        (v128.store align=8 (local.get $at) (f64x2.add (v128.and (v128.load align=8 (local.get $at)) (local.get $keep)) (local.get $s10)))
        (local.set $at (i32.add (local.get $c1) (i32.add (local.get $j) (i32.const 16))))
        (v128.store align=8 (local.get $at) (f64x2.add (v128.and (v128.load align=8 (local.get $at)) (local.get $keep)) (local.get $s11)))
        (local.set $j (i32.add (local.get $j) (i32.const 32)))
        (br $cols4)))

    ;; Two more columns when m mod 4 ≥ 2.
    (if (i32.and (local.get $m) (i32.const 2))
      (then
        (local.set $s00 (v128.const f64x2 0 0)) (local.set $s10 (v128.const f64x2 0 0))
        (local.set $pa0 (local.get $a0)) (local.set $pa1 (local.get $a1))
        (local.set $pb (i32.add (local.get $b) (local.get $j)))
        (local.set $p (local.get $k))
        (block $sum2
          (loop $inner2
            (br_if $sum2 (i32.eqz (local.get $p)))
            (local.set $b0 (v128.load align=8 (local.get $pb)))
            (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (f64x2.splat (f64.load (local.get $pa0))) (local.get $b0))))
            (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (f64x2.splat (f64.load (local.get $pa1))) (local.get $b0))))
            (local.set $pa0 (i32.add (local.get $pa0) (local.get $acs)))
            (local.set $pa1 (i32.add (local.get $pa1) (local.get $acs)))
            (local.set $pb (i32.add (local.get $pb) (local.get $brs)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $inner2)))
        (local.set $at (i32.add (local.get $c0) (local.get $j)))
        (v128.store align=8 (local.get $at) (f64x2.add (v128.and (v128.load align=8 (local.get $at)) (local.get $keep)) (local.get $s00)))
        (local.set $at (i32.add (local.get $c1) (local.get $j)))
        (v128.store align=8 (local.get $at) (f64x2.add (v128.and (v128.load align=8 (local.get $at)) (local.get $keep)) (local.get $s10)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))))

    ;; The last column when m is odd, in scalars.
    (if (i32.and (local.get $m) (i32.const 1))
      (then
        (local.set $t0 (f64.const 0)) (local.set $t1 (f64.const 0))
        (local.set $pa0 (local.get $a0)) (local.set $pa1 (local.get $a1))
        (local.set $pb (i32.add (local.get $b) (local.get $j)))
        (local.set $p (local.get $k))
        (block $sum1
          (loop $inner1
            (br_if $sum1 (i32.eqz (local.get $p)))
            (local.set $y (f64.load (local.get $pb)))
            (local.set $t0 (f64.add (local.get $t0) (f64.mul (f64.load (local.get $pa0)) (local.get $y))))
            (local.set $t1 (f64.add (local.get $t1) (f64.mul (f64.load (local.get $pa1)) (local.get $y))))
            (local.set $pa0 (i32.add (local.get $pa0) (local.get $acs)))
            (local.set $pa1 (i32.add (local.get $pa1) (local.get $acs)))
            (local.set $pb (i32.add (local.get $pb) (local.get $brs)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $inner1)))
        (f64.store (i32.add (local.get $c0) (local.get $j))
          (f64.add (select (f64.load (i32.add (local.get $c0) (local.get $j))) (f64.const 0) (i32x4.extract_lane 0 (local.get $keep))) (local.get $t0)))
        (f64.store (i32.add (local.get $c1) (local.get $j))
          (f64.add (select (f64.load (i32.add (local.get $c1) (local.get $j))) (f64.const 0) (i32x4.extract_lane 0 (local.get $keep))) (local.get $t1))))))

  (func $gemm (export "gemm")
    (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $brs i32)
    (param $c i32) (param $n i32) (param $k i32) (param $m i32) (param $scratch i32) (param $acc i32)
    (local $i i32) (local $a1 i32) (local $c1 i32) (local $row i32) (local $keep v128)
    (local.set $keep (i32x4.splat (i32.sub (i32.const 0) (local.get $acc))))
    (local.set $row (i32.shl (local.get $m) (i32.const 3)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a1 (i32.add (local.get $a) (local.get $ars)))
        (local.set $c1 (i32.add (local.get $c) (local.get $row)))
        (if (i32.eq (i32.add (local.get $i) (i32.const 1)) (local.get $n))
          (then (local.set $a1 (local.get $a)) (local.set $c1 (local.get $scratch))))
        (call $rowPair (local.get $a) (local.get $a1) (local.get $acs) (local.get $b) (local.get $brs)
          (local.get $c) (local.get $c1) (local.get $k) (local.get $m) (local.get $keep))
        (local.set $a (i32.add (local.get $a) (i32.shl (local.get $ars) (i32.const 1))))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $row) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows))))

  ;; `count` products one after the other, the t-th on operands `t` steps on
  ;; (aStep, bStep and cStep bytes): a batch of sequences' attention products
  ;; in one call from JavaScript.
  (func (export "gemmBatch")
    (param $count i32) (param $a i32) (param $aStep i32) (param $ars i32) (param $acs i32)
    (param $b i32) (param $bStep i32) (param $brs i32) (param $c i32) (param $cStep i32)
    (param $n i32) (param $k i32) (param $m i32) (param $scratch i32) (param $acc i32)
    (block $done
      (loop $products
        (br_if $done (i32.eqz (local.get $count)))
        (call $gemm (local.get $a) (local.get $ars) (local.get $acs) (local.get $b) (local.get $brs)
          (local.get $c) (local.get $n) (local.get $k) (local.get $m) (local.get $scratch) (local.get $acc))
        (local.set $a (i32.add (local.get $a) (local.get $aStep)))
        (local.set $b (i32.add (local.get $b) (local.get $bStep)))
        (local.set $c (i32.add (local.get $c) (local.get $cStep)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $products)))))
