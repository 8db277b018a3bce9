;; The core's float64 peak as our kernel can reach it: 128-bit SIMD with a
;; separate multiply and add (baseline WebAssembly has no fused multiply-add).
;; Twelve independent f64x2 accumulators hide the add latency, as a register-
;; blocked product does; each iteration is 12 multiplies and 12 adds on two
;; lanes: 48 flops. Assembled by bench/peak.ts with wabt when the bench runs.
(module
  (func (export "run") (param $iterations i32) (result f64)
    (local $x v128) (local $y v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128)
    (local $a6 v128) (local $a7 v128) (local $a8 v128) (local $a9 v128) (local $a10 v128) (local $a11 v128)
    (local.set $x (v128.const f64x2 1.0000001 0.9999999))
    (local.set $y (v128.const f64x2 0.5 0.25))
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $iterations)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $x) (local.get $y))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $y) (local.get $x))))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $y) (local.get $y))))
        (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $x) (local.get $y))))
        (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (local.get $y) (local.get $x))))
        (local.set $a6 (f64x2.add (local.get $a6) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $a7 (f64x2.add (local.get $a7) (f64x2.mul (local.get $y) (local.get $y))))
        (local.set $a8 (f64x2.add (local.get $a8) (f64x2.mul (local.get $x) (local.get $y))))
        (local.set $a9 (f64x2.add (local.get $a9) (f64x2.mul (local.get $y) (local.get $x))))
        (local.set $a10 (f64x2.add (local.get $a10) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $a11 (f64x2.add (local.get $a11) (f64x2.mul (local.get $y) (local.get $y))))
        (local.set $iterations (i32.sub (local.get $iterations) (i32.const 1)))
        (br $again)))
    ;; Return a sum of the accumulators, so the engine cannot drop the loop.
    (f64x2.extract_lane 0 (f64x2.add (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3)))
      (f64x2.add (f64x2.add (f64x2.add (local.get $a4) (local.get $a5)) (f64x2.add (local.get $a6) (local.get $a7)))
        (f64x2.add (f64x2.add (local.get $a8) (local.get $a9)) (f64x2.add (local.get $a10) (local.get $a11))))))))
