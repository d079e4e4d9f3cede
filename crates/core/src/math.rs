//! Sine and cosine of a fraction of a turn, without the standard library's trigonometry.
//!
//! `f64::sin`/`cos` bring libm's argument reduction into the wasm (about 6 KB). Every angle
//! Hearth needs is a fraction of a full turn (an hour of the day, a day of the week, a
//! uniform draw for Box–Muller), so it reduces exactly to a quarter turn and evaluates short
//! Taylor polynomials there: error below 4e-7, far finer than any feature needs.

use std::f64::consts::TAU;

/// `(sin, cos)` of `fraction` of a full turn (any finite value; non-finite gives `(0, 1)`).
pub fn turn(fraction: f64) -> (f64, f64) {
    if !fraction.is_finite() {
        return (0.0, 1.0);
    }
    let f = fraction - fraction.floor();
    let quarter = (f * 4.0).round();
    let r = (f - quarter / 4.0) * TAU; // within ±π/4
    let (s, c) = (sin_near_zero(r), cos_near_zero(r));
    match (quarter as i64).rem_euclid(4) {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

fn sin_near_zero(r: f64) -> f64 {
    let r2 = r * r;
    r * (1.0 - r2 / 6.0 * (1.0 - r2 / 20.0 * (1.0 - r2 / 42.0)))
}

fn cos_near_zero(r: f64) -> f64 {
    let r2 = r * r;
    1.0 - r2 / 2.0 * (1.0 - r2 / 12.0 * (1.0 - r2 / 30.0 * (1.0 - r2 / 56.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_library_around_the_circle() {
        for i in -2000..=2000 {
            let fraction = f64::from(i) / 997.0;
            let (s, c) = turn(fraction);
            let angle = TAU * fraction;
            assert!((s - angle.sin()).abs() < 4e-7, "sin at {fraction}");
            assert!((c - angle.cos()).abs() < 4e-7, "cos at {fraction}");
        }
        assert_eq!(turn(f64::NAN), (0.0, 1.0));
    }
}
