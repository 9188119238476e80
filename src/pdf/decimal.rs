//! Numbers in content streams, written without the float formatter.
//! A volume of 100,000 slip sheets writes a dozen numbers on each, and
//! `format!("{v:.3}")` goes through the exact-decimal machinery every time.
//! These give the same bytes: an `f32` times 10³ is exact in an `f64`
//! (24 + 10 bits), so rounding it to the nearest integer is the decimal
//! rounding itself; only an exact tie (where conventions differ) is left
//! to the formatter.

/// `v` with `places` decimals (at most 3), as `format!("{v:.places$}")` writes it.
pub fn fixed(v: f32, places: u32, out: &mut String) {
    use std::fmt::Write;
    let places = places.min(3);
    let scale = 10_i64.pow(places);
    let scaled = f64::from(v) * scale as f64;
    if !(scaled.abs() < 1e15 && (scaled - scaled.trunc()).abs() != 0.5) {
        // A tie, a huge value, NaN or infinity: the formatter decides.
        let _ = write!(out, "{v:.prec$}", prec = places as usize);
        return;
    }
    let n = scaled.round() as i64;
    // The formatter keeps the sign of a negative value that rounds to zero.
    if n < 0 || (n == 0 && v.is_sign_negative()) {
        out.push('-');
    }
    let n = n.unsigned_abs();
    let scale = scale as u64;
    let _ = write!(out, "{}", n / scale);
    if places > 0 {
        let _ = write!(out, ".{:0width$}", n % scale, width = places as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_formatter(v: f32) {
        for places in 0..=3 {
            let mut ours = String::new();
            fixed(v, places, &mut ours);
            let theirs = format!("{v:.prec$}", prec = places as usize);
            assert_eq!(ours, theirs, "{v:?} with {places} places");
        }
    }

    #[test]
    fn writes_what_the_formatter_writes() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            12.0,
            20.0,
            9.5,
            0.125,
            0.0005,
            -0.0005,
            0.0015,
            2.5,
            -2.5,
            527.456_8,
            575.999_9,
            -0.000_1,
            612.0,
            792.0,
            1e-7,
            123_456.79,
            16_777_216.0,
            f32::MAX,
            f32::MIN,
            f32::NAN,
            f32::INFINITY,
        ] {
            same_as_formatter(v);
        }
        // A deterministic sweep over sizes and positions a page can have.
        let mut x: u32 = 0x9e37_79b9;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let v = (x % 2_000_000) as f32 / 997.0 - 1000.0;
            same_as_formatter(v);
            same_as_formatter(f32::from_bits(x));
        }
    }
}
