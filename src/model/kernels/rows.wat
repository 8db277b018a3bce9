;; The row and element-wise kernels of the WebAssembly kernel: LayerNorm and
;; its backward, the element-wise passes, the softmax and its exp, each
;; operation for operation what its JavaScript twin computes (js.ts, exp.ts,
;; matrix.ts, layers.ts, attention.ts), so both kernels give the same bits.
;; A module of its own beside gemm.wat, on gemm.wat's memory (imported): each
;; stays under the 4 KB that a page's main thread may compile synchronously.
;; Hand-written; tools/build-wasm.js assembles it with wabt into gemm-wasm.ts.
(module
  (import "gemm" "memory" (memory 1))

  ;; LayerNorm of n rows of d (≥ 1) doubles (kernel.ts's LayerNormRows; js.ts's
  ;; layerNormRows is the same arithmetic in the same order): the row sums in
  ;; two chains, the even columns in lane 0 and the odd ones in lane 1, an odd
  ;; last column added to lane 0, then lane 0 + lane 1. With $add, the row is
  ;; x + y, written into s first. Pointers and $row in bytes.
  (func (export "layerNorm")
    (param $n i32) (param $d i32) (param $x i32) (param $y i32) (param $s i32) (param $add i32)
    (param $g i32) (param $b i32) (param $h i32) (param $o i32) (param $inv i32) (param $eps f64)
    (local $row i32) (local $pairs i32) (local $j i32) (local $src i32) (local $df f64)
    (local $acc v128) (local $t v128) (local $mean v128) (local $sc v128)
    (local $max f64) (local $scale f64) (local $m f64) (local $v f64) (local $r f64) (local $u f64)
    (local.set $row (i32.shl (local.get $d) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.shr_u (local.get $d) (i32.const 1)) (i32.const 4)))
    (local.set $df (f64.convert_i32_u (local.get $d)))
    (block $done
      (loop $rows
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $src (local.get $x))
        (if (local.get $add)
          (then
            (local.set $j (i32.const 0))
            (block $added
              (loop $sum
                (br_if $added (i32.ge_u (local.get $j) (local.get $pairs)))
                (v128.store align=8 (i32.add (local.get $s) (local.get $j))
                  (f64x2.add (v128.load align=8 (i32.add (local.get $x) (local.get $j)))
                    (v128.load align=8 (i32.add (local.get $y) (local.get $j)))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $sum)))
            (if (i32.and (local.get $d) (i32.const 1))
              (then (f64.store (i32.add (local.get $s) (local.get $pairs))
                (f64.add (f64.load (i32.add (local.get $x) (local.get $pairs))) (f64.load (i32.add (local.get $y) (local.get $pairs)))))))
            (local.set $src (local.get $s))))
        ;; max |x| (NaN if any is NaN), and the scale 2^floor(log2 max) when 2 <= max < inf
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (block $maxed
          (loop $max
            (br_if $maxed (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $acc (f64x2.max (local.get $acc) (f64x2.abs (v128.load align=8 (i32.add (local.get $src) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $max)))
        (local.set $max (f64.max (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (if (i32.and (local.get $d) (i32.const 1))
          (then (local.set $max (f64.max (local.get $max) (f64.abs (f64.load (i32.add (local.get $src) (local.get $pairs))))))))
        (local.set $scale (f64.const 1))
        (if (i32.and (f64.ge (local.get $max) (f64.const 2)) (f64.lt (local.get $max) (f64.const inf)))
          (then (local.set $scale (f64.reinterpret_i64 (i64.and (i64.reinterpret_f64 (local.get $max)) (i64.const 0x7ff0000000000000))))))
        ;; u = x / scale into h, and its sum
        (local.set $sc (f64x2.splat (local.get $scale)))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (block $divided
          (loop $divide
            (br_if $divided (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $t (v128.load align=8 (i32.add (local.get $src) (local.get $j))))
            (if (f64.ne (local.get $scale) (f64.const 1)) (then (local.set $t (f64x2.div (local.get $t) (local.get $sc)))))
            (v128.store align=8 (i32.add (local.get $h) (local.get $j)) (local.get $t))
            (local.set $acc (f64x2.add (local.get $acc) (local.get $t)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $divide)))
        (local.set $m (f64x2.extract_lane 0 (local.get $acc)))
        (if (i32.and (local.get $d) (i32.const 1))
          (then
            (local.set $u (f64.load (i32.add (local.get $src) (local.get $pairs))))
            (if (f64.ne (local.get $scale) (f64.const 1)) (then (local.set $u (f64.div (local.get $u) (local.get $scale)))))
            (f64.store (i32.add (local.get $h) (local.get $pairs)) (local.get $u))
            (local.set $m (f64.add (local.get $m) (local.get $u)))))
        (local.set $m (f64.div (f64.add (local.get $m) (f64x2.extract_lane 1 (local.get $acc))) (local.get $df)))
        ;; the variance of u
        (local.set $mean (f64x2.splat (local.get $m)))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (block $varied
          (loop $vary
            (br_if $varied (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $t (f64x2.sub (v128.load align=8 (i32.add (local.get $h) (local.get $j))) (local.get $mean)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $t) (local.get $t))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vary)))
        (local.set $v (f64x2.extract_lane 0 (local.get $acc)))
        (if (i32.and (local.get $d) (i32.const 1))
          (then
            (local.set $u (f64.sub (f64.load (i32.add (local.get $h) (local.get $pairs))) (local.get $m)))
            (local.set $v (f64.add (local.get $v) (f64.mul (local.get $u) (local.get $u))))))
        (local.set $v (f64.div (f64.add (local.get $v) (f64x2.extract_lane 1 (local.get $acc))) (local.get $df)))
        ;; 1/σ of u, and of x for the backward
        (local.set $r (f64.div (f64.const 1)
          (f64.sqrt (f64.add (local.get $v) (f64.div (local.get $eps) (f64.mul (local.get $scale) (local.get $scale)))))))
        (f64.store (local.get $inv) (f64.div (local.get $r) (local.get $scale)))
        ;; x̂ = (u − mean)/σ into h, x̂·γ + β into o
        (local.set $sc (f64x2.splat (local.get $r)))
        (local.set $j (i32.const 0))
        (block $normed
          (loop $norm
            (br_if $normed (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $t (f64x2.mul (f64x2.sub (v128.load align=8 (i32.add (local.get $h) (local.get $j))) (local.get $mean)) (local.get $sc)))
            (v128.store align=8 (i32.add (local.get $h) (local.get $j)) (local.get $t))
            (v128.store align=8 (i32.add (local.get $o) (local.get $j))
              (f64x2.add (f64x2.mul (local.get $t) (v128.load align=8 (i32.add (local.get $g) (local.get $j))))
                (v128.load align=8 (i32.add (local.get $b) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $norm)))
        (if (i32.and (local.get $d) (i32.const 1))
          (then
            (local.set $u (f64.mul (f64.sub (f64.load (i32.add (local.get $h) (local.get $pairs))) (local.get $m)) (local.get $r)))
            (f64.store (i32.add (local.get $h) (local.get $pairs)) (local.get $u))
            (f64.store (i32.add (local.get $o) (local.get $pairs))
              (f64.add (f64.mul (local.get $u) (f64.load (i32.add (local.get $g) (local.get $pairs)))) (f64.load (i32.add (local.get $b) (local.get $pairs)))))))
        (local.set $x (i32.add (local.get $x) (local.get $row)))
        (local.set $y (i32.add (local.get $y) (local.get $row)))
        (local.set $s (i32.add (local.get $s) (local.get $row)))
        (local.set $h (i32.add (local.get $h) (local.get $row)))
        (local.set $o (i32.add (local.get $o) (local.get $row)))
        (local.set $inv (i32.add (local.get $inv) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $rows))))

  ;; LayerNorm's backward over n rows of d (≥ 1) (kernel.ts's LayerNormBackRows,
  ;; js.ts's layerNormBackRows): dγ and dβ accumulate into dg and db, the row
  ;; sums in the two chains of layerNorm.
  (func (export "layerNormBackward")
    (param $n i32) (param $d i32) (param $dout i32) (param $g i32) (param $h i32) (param $inv i32)
    (param $dx i32) (param $dg i32) (param $db i32)
    (local $row i32) (local $pairs i32) (local $j i32) (local $df f64)
    (local $dv v128) (local $hv v128) (local $gv v128) (local $sg v128) (local $sx v128) (local $mg v128) (local $mx v128)
    (local $dd f64) (local $hh f64) (local $gg f64) (local $g0 f64) (local $x0 f64) (local $s f64)
    (local.set $row (i32.shl (local.get $d) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.shr_u (local.get $d) (i32.const 1)) (i32.const 4)))
    (local.set $df (f64.convert_i32_u (local.get $d)))
    (block $done
      (loop $rows
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sg (v128.const f64x2 0 0))
        (local.set $sx (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (block $summed
          (loop $sum
            (br_if $summed (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $dv (v128.load align=8 (i32.add (local.get $dout) (local.get $j))))
            (local.set $hv (v128.load align=8 (i32.add (local.get $h) (local.get $j))))
            (local.set $gv (f64x2.mul (local.get $dv) (v128.load align=8 (i32.add (local.get $g) (local.get $j)))))
            (v128.store align=8 (i32.add (local.get $dg) (local.get $j))
              (f64x2.add (v128.load align=8 (i32.add (local.get $dg) (local.get $j))) (f64x2.mul (local.get $dv) (local.get $hv))))
            (v128.store align=8 (i32.add (local.get $db) (local.get $j))
              (f64x2.add (v128.load align=8 (i32.add (local.get $db) (local.get $j))) (local.get $dv)))
            (local.set $sg (f64x2.add (local.get $sg) (local.get $gv)))
            (local.set $sx (f64x2.add (local.get $sx) (f64x2.mul (local.get $gv) (local.get $hv))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $sum)))
        (local.set $g0 (f64x2.extract_lane 0 (local.get $sg)))
        (local.set $x0 (f64x2.extract_lane 0 (local.get $sx)))
        (if (i32.and (local.get $d) (i32.const 1))
          (then
            (local.set $dd (f64.load (i32.add (local.get $dout) (local.get $pairs))))
            (local.set $hh (f64.load (i32.add (local.get $h) (local.get $pairs))))
            (local.set $gg (f64.mul (local.get $dd) (f64.load (i32.add (local.get $g) (local.get $pairs)))))
            (f64.store (i32.add (local.get $dg) (local.get $pairs))
              (f64.add (f64.load (i32.add (local.get $dg) (local.get $pairs))) (f64.mul (local.get $dd) (local.get $hh))))
            (f64.store (i32.add (local.get $db) (local.get $pairs)) (f64.add (f64.load (i32.add (local.get $db) (local.get $pairs))) (local.get $dd)))
            (local.set $g0 (f64.add (local.get $g0) (local.get $gg)))
            (local.set $x0 (f64.add (local.get $x0) (f64.mul (local.get $gg) (local.get $hh))))))
        (local.set $mg (f64x2.splat (f64.div (f64.add (local.get $g0) (f64x2.extract_lane 1 (local.get $sg))) (local.get $df))))
        (local.set $mx (f64x2.splat (f64.div (f64.add (local.get $x0) (f64x2.extract_lane 1 (local.get $sx))) (local.get $df))))
        (local.set $s (f64.load (local.get $inv)))
        ;; dx = s·(dout·γ − mean(g) − x̂·mean(g ⊙ x̂))
        (local.set $j (i32.const 0))
        (block $written
          (loop $write
            (br_if $written (i32.ge_u (local.get $j) (local.get $pairs)))
            (v128.store align=8 (i32.add (local.get $dx) (local.get $j))
              (f64x2.mul (f64x2.splat (local.get $s))
                (f64x2.sub
                  (f64x2.sub (f64x2.mul (v128.load align=8 (i32.add (local.get $dout) (local.get $j))) (v128.load align=8 (i32.add (local.get $g) (local.get $j))))
                    (local.get $mg))
                  (f64x2.mul (v128.load align=8 (i32.add (local.get $h) (local.get $j))) (local.get $mx)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $write)))
        (if (i32.and (local.get $d) (i32.const 1))
          (then
            (f64.store (i32.add (local.get $dx) (local.get $pairs))
              (f64.mul (local.get $s)
                (f64.sub
                  (f64.sub (f64.mul (f64.load (i32.add (local.get $dout) (local.get $pairs))) (f64.load (i32.add (local.get $g) (local.get $pairs))))
                    (f64x2.extract_lane 0 (local.get $mg)))
                  (f64.mul (f64.load (i32.add (local.get $h) (local.get $pairs))) (f64x2.extract_lane 0 (local.get $mx))))))))
        (local.set $dout (i32.add (local.get $dout) (local.get $row)))
        (local.set $h (i32.add (local.get $h) (local.get $row)))
        (local.set $dx (i32.add (local.get $dx) (local.get $row)))
        (local.set $inv (i32.add (local.get $inv) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $rows))))

  ;; Element-wise passes over n doubles from byte offsets (a `pairs` loop in
  ;; f64x2, then an odd last value): the same IEEE operation on each value as
  ;; the JavaScript loops of matrix.ts and layers.ts, so the same bits.
  ;; o = a + b
  (func $add (export "add") (param $n i32) (param $a i32) (param $b i32) (param $o i32)
    (local $j i32) (local $pairs i32)
    (local.set $pairs (i32.shl (i32.shr_u (local.get $n) (i32.const 1)) (i32.const 4)))
    (block $done
      (loop $pass
        (br_if $done (i32.ge_u (local.get $j) (local.get $pairs)))
        (v128.store align=8 (i32.add (local.get $o) (local.get $j))
          (f64x2.add (v128.load align=8 (i32.add (local.get $a) (local.get $j))) (v128.load align=8 (i32.add (local.get $b) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $pass)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (i32.add (local.get $o) (local.get $j))
        (f64.add (f64.load (i32.add (local.get $a) (local.get $j))) (f64.load (i32.add (local.get $b) (local.get $j))))))))

  ;; o(i, j) = a(i, j) + v(j) over `rows` rows of m (the bias row), and
  ;; v(j) += a(i, j) row after row (sumRows: the column sums) when $sum
  (func (export "rows") (param $rows i32) (param $m i32) (param $a i32) (param $v i32) (param $o i32) (param $sum i32)
    (local $row i32)
    (local.set $row (i32.shl (local.get $m) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $rows)))
        (if (local.get $sum)
          (then (call $add (local.get $m) (local.get $v) (local.get $a) (local.get $v)))
          (else (call $add (local.get $m) (local.get $a) (local.get $v) (local.get $o))))
        (local.set $a (i32.add (local.get $a) (local.get $row)))
        (local.set $o (i32.add (local.get $o) (local.get $row)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $each))))

  ;; ReLU, h = p > 0 ? p : 0 (NaN to 0); with $back, its backward in place on
  ;; the gradient h: h = p <= 0 ? 0 : h (NaN keeps h)
  (func (export "relu") (param $n i32) (param $p i32) (param $h i32) (param $back i32)
    (local $j i32) (local $end i32) (local $t v128) (local $x f64)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $pass
        (br_if $done (i32.ge_u (i32.add (local.get $j) (i32.const 8)) (local.get $end)))
        (local.set $t (v128.load align=8 (i32.add (local.get $p) (local.get $j))))
        (v128.store align=8 (i32.add (local.get $h) (local.get $j))
          (if (result v128) (local.get $back)
            (then (v128.andnot (v128.load align=8 (i32.add (local.get $h) (local.get $j))) (f64x2.le (local.get $t) (v128.const f64x2 0 0))))
            (else (v128.and (local.get $t) (f64x2.gt (local.get $t) (v128.const f64x2 0 0))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $pass)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $x (f64.load (i32.add (local.get $p) (local.get $j))))
        (f64.store (i32.add (local.get $h) (local.get $j))
          (if (result f64) (local.get $back)
            (then (select (f64.const 0) (f64.load (i32.add (local.get $h) (local.get $j))) (f64.le (local.get $x) (f64.const 0))))
            (else (select (local.get $x) (f64.const 0) (f64.gt (local.get $x) (f64.const 0)))))))))

  ;; exp(x), operation for operation what exp.ts computes (fdlibm's e_exp.c),
  ;; here with fdlibm's own tests on the high word of |x|.
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $hx i32) (local $k i32) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64)
    (local.set $hx (i32.and (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))) (i32.const 0x7fffffff)))
    (if (i32.ge_u (local.get $hx) (i32.const 0x40862e42))
      (then
        (if (f64.ne (local.get $x) (local.get $x)) (then (return (f64.add (local.get $x) (local.get $x)))))
        (if (i32.ge_u (local.get $hx) (i32.const 0x7ff00000))
          (then (return (select (local.get $x) (f64.const 0) (f64.gt (local.get $x) (f64.const 0))))))
        (if (f64.gt (local.get $x) (f64.const 0x1.62e42fefa39efp+9)) (then (return (f64.const inf))))
        (if (f64.lt (local.get $x) (f64.const -0x1.74910d52d3051p+9)) (then (return (f64.const 0))))))
    (if (i32.gt_u (local.get $hx) (i32.const 0x3fd62e42))
      (then
        (if (i32.lt_u (local.get $hx) (i32.const 0x3ff0a2b2))
          (then
            (if (f64.eq (local.get $x) (f64.const 1)) (then (return (f64.const 0x1.5bf0a8b145769p+1))))
            (if (f64.lt (local.get $x) (f64.const 0))
              (then
                (local.set $hi (f64.add (local.get $x) (f64.const 0x1.62e42feep-1)))
                (local.set $lo (f64.const -0x1.a39ef35793c76p-33))
                (local.set $k (i32.const -1)))
              (else
                (local.set $hi (f64.sub (local.get $x) (f64.const 0x1.62e42feep-1)))
                (local.set $lo (f64.const 0x1.a39ef35793c76p-33))
                (local.set $k (i32.const 1)))))
          (else
            (local.set $k (i32.trunc_f64_s (f64.add (f64.mul (f64.const 0x1.71547652b82fep+0) (local.get $x))
              (select (f64.const -0.5) (f64.const 0.5) (f64.lt (local.get $x) (f64.const 0))))))
            (local.set $t (f64.convert_i32_s (local.get $k)))
            (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 0x1.62e42feep-1))))
            (local.set $lo (f64.mul (local.get $t) (f64.const 0x1.a39ef35793c76p-33)))))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        (if (i32.lt_u (local.get $hx) (i32.const 0x3e300000)) (then (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
      (f64.add (f64.const 0x1.555555555553ep-3) (f64.mul (local.get $t)
        (f64.add (f64.const -0x1.6c16c16bebd93p-9) (f64.mul (local.get $t)
          (f64.add (f64.const 0x1.1566aaf25de2cp-14) (f64.mul (local.get $t)
            (f64.add (f64.const -0x1.bbd41c5d26bf1p-20) (f64.mul (local.get $t) (f64.const 0x1.6376972bea4d0p-25))))))))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (f64.const 1)
        (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2))) (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1)
      (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c)))) (local.get $hi))))
    (if (i32.ge_s (local.get $k) (i32.const -1021))
      (then
        (if (i32.eq (local.get $k) (i32.const 1024)) (then (return (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 0x1p1023)))))
        (return (f64.mul (local.get $y)
          (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u (i32.add (local.get $k) (i32.const 1023))) (i64.const 52)))))))
    (f64.mul (f64.mul (local.get $y)
      (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u (i32.add (local.get $k) (i32.const 2023))) (i64.const 52))))
      (f64.const 0x1p-1000)))

  ;; Row softmax of `rows` rows of `cols` scores (attention.ts's softmaxWithSums,
  ;; with exp above): each row's largest visible score into max, the sum of
  ;; exp(s − max) into sum (in order), p = exp(s − max)/sum, 0 where masked
  ;; and on a row with no visible key (max −∞, sum 0). $mask: a byte per score
  ;; (1 visible), or −1 for none. With $prep the scores are first scaled in
  ;; place (scaledDotProduct's pass): s·scale where visible, 0 where masked.
  (func (export "softmax")
    (param $rows i32) (param $cols i32) (param $s i32) (param $mask i32) (param $prep i32) (param $scale f64)
    (param $p i32) (param $max i32) (param $sum i32)
    (local $j i32) (local $at i32) (local $m f64) (local $z f64) (local $e f64) (local $row i32) (local $on i32)
    (local.set $row (i32.shl (local.get $cols) (i32.const 3)))
    (block $done
      (loop $rowsLoop
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $m (f64.const -inf))
        (local.set $j (i32.const 0))
        (block $maxed
          (loop $maxLoop
            (br_if $maxed (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $at (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $on (i32.const 1))
            (if (i32.ge_s (local.get $mask) (i32.const 0))
              (then (local.set $on (i32.load8_u (i32.add (local.get $mask) (local.get $j))))))
            (if (local.get $prep)
              (then (f64.store (local.get $at) (select (f64.mul (f64.load (local.get $at)) (local.get $scale)) (f64.const 0) (local.get $on)))))
            (if (local.get $on) (then (local.set $m (f64.max (local.get $m) (f64.load (local.get $at))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $maxLoop)))
        (f64.store (local.get $max) (local.get $m))
        (local.set $z (f64.const 0))
        (local.set $j (i32.const 0))
        (block $summed
          (loop $sumLoop
            (br_if $summed (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $e (f64.const 0))
            (local.set $on (i32.const 1))
            (if (i32.ge_s (local.get $mask) (i32.const 0))
              (then (local.set $on (i32.load8_u (i32.add (local.get $mask) (local.get $j))))))
            (if (select (local.get $on) (i32.const 0) (f64.ne (local.get $m) (f64.const -inf)))
              (then
                (local.set $e (call $exp (f64.sub (f64.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 3)))) (local.get $m))))
                (local.set $z (f64.add (local.get $z) (local.get $e)))))
            (f64.store (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 3))) (local.get $e))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $sumLoop)))
        (f64.store (local.get $sum) (local.get $z))
        (if (f64.ne (local.get $m) (f64.const -inf))
          (then
            (local.set $j (i32.const 0))
            (block $divided
              (loop $divide
                (br_if $divided (i32.ge_u (local.get $j) (local.get $cols)))
                (local.set $at (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 3))))
                (f64.store (local.get $at) (f64.div (f64.load (local.get $at)) (local.get $z)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $divide)))))
        (local.set $s (i32.add (local.get $s) (local.get $row)))
        (local.set $p (i32.add (local.get $p) (local.get $row)))
        (if (i32.ge_s (local.get $mask) (i32.const 0)) (then (local.set $mask (i32.add (local.get $mask) (local.get $cols)))))
        (local.set $max (i32.add (local.get $max) (i32.const 8)))
        (local.set $sum (i32.add (local.get $sum) (i32.const 8)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $rowsLoop))))

  ;; `count` products' B (k × m, B(p, j) at src + p·brs + j·bcs, byte strides,
  ;; the t-th from src + t·bStep) packed into rows at dst, one after the other:
  ;; gemm.wat's loop loads two neighbouring columns at once. k, m, count ≥ 1.
  (func (export "pack")
    (param $count i32) (param $src i32) (param $bStep i32) (param $brs i32) (param $bcs i32) (param $k i32) (param $m i32) (param $dst i32)
    (local $p i32) (local $j i32) (local $row i32) (local $at i32)
    (loop $products
      (local.set $row (local.get $src))
      (local.set $p (local.get $k))
      (loop $rows
        (local.set $at (local.get $row))
        (local.set $j (local.get $m))
        (loop $cols
          (f64.store (local.get $dst) (f64.load (local.get $at)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
          (local.set $at (i32.add (local.get $at) (local.get $bcs)))
          (br_if $cols (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
        (local.set $row (i32.add (local.get $row) (local.get $brs)))
        (br_if $rows (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (local.set $src (i32.add (local.get $src) (local.get $bStep)))
      (br_if $products (local.tee $count (i32.sub (local.get $count) (i32.const 1))))))

  ;; The softmax's backward in place on `rows` × `cols` (≥ 1) gradients d of the
  ;; weights a (attention.ts's scaledDotProductBackward): d = a·(d − Σ a·d)·scale,
  ;; the sum in order, and 0 where masked ($mask as in softmax, or −1).
  (func (export "softmaxBackward") (param $rows i32) (param $cols i32) (param $a i32) (param $d i32) (param $mask i32) (param $scale f64)
    (local $j i32) (local $at i32) (local $dot f64) (local $v f64)
    (loop $rowsLoop
      (local.set $dot (f64.const 0))
      (local.set $j (i32.const 0))
      (loop $dotLoop
        (local.set $at (i32.shl (local.get $j) (i32.const 3)))
        (local.set $dot (f64.add (local.get $dot)
          (f64.mul (f64.load (i32.add (local.get $a) (local.get $at))) (f64.load (i32.add (local.get $d) (local.get $at))))))
        (br_if $dotLoop (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $cols))))
      (local.set $j (i32.const 0))
      (loop $write
        (local.set $at (i32.shl (local.get $j) (i32.const 3)))
        (local.set $v (f64.mul (f64.mul (f64.load (i32.add (local.get $a) (local.get $at)))
          (f64.sub (f64.load (i32.add (local.get $d) (local.get $at))) (local.get $dot))) (local.get $scale)))
        (if (i32.ge_s (local.get $mask) (i32.const 0))
          (then (if (i32.eqz (i32.load8_u (i32.add (local.get $mask) (local.get $j)))) (then (local.set $v (f64.const 0))))))
        (f64.store (i32.add (local.get $d) (local.get $at)) (local.get $v))
        (br_if $write (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $cols))))
      (local.set $a (i32.add (local.get $a) (i32.shl (local.get $cols) (i32.const 3))))
      (local.set $d (i32.add (local.get $d) (i32.shl (local.get $cols) (i32.const 3))))
      (if (i32.ge_s (local.get $mask) (i32.const 0)) (then (local.set $mask (i32.add (local.get $mask) (local.get $cols)))))
      (br_if $rowsLoop (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))))
