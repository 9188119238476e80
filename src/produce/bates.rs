//! Bates numbers: a prefix and a zero-padded counter of fixed width.

/// How a matter writes its Bates numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatesFormat {
    pub prefix: String,
    pub width: u32,
}

impl BatesFormat {
    /// The largest number that fits in `width` digits.
    pub fn max(&self) -> u64 {
        10u64.saturating_pow(self.width).saturating_sub(1)
    }

    pub fn fits(&self, n: u64) -> bool {
        n <= self.max()
    }

    /// `DHS-MPP-000123`.
    pub fn format(&self, n: u64) -> String {
        format!("{}{:0width$}", self.prefix, n, width = self.width as usize)
    }

    /// The number in a Bates string of this format.
    pub fn parse(&self, text: &str) -> Option<u64> {
        let digits = text.strip_prefix(&self.prefix)?;
        if digits.len() != self.width as usize || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    }

    /// The numbers `pages` pages carry from `beg` when `beg..=end` was
    /// issued: those numbers, then suffixes on the last one for pages beyond
    /// them (`X-000123.001`, …: a clawback's longer replacement). Fewer
    /// pages than numbers still list every number (the rest are padded).
    pub fn numbers(&self, beg: u64, end: u64, pages: u64) -> Vec<String> {
        let mut out: Vec<String> = (beg..=end).map(|n| self.format(n)).collect();
        for i in 1..=pages.saturating_sub(end.saturating_sub(beg) + 1) {
            out.push(self.suffixed(end, i));
        }
        out
    }

    /// The last number `pages` pages carry from `beg..=end` (see [`Self::numbers`]).
    pub fn last(&self, beg: u64, end: u64, pages: u64) -> String {
        match pages.saturating_sub(end.saturating_sub(beg) + 1) {
            0 => self.format(end),
            extra => self.suffixed(end, extra),
        }
    }

    fn suffixed(&self, n: u64, i: u64) -> String {
        format!("{}.{i:03}", self.format(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_pages_keep_the_numbers_more_pages_take_suffixes() {
        let f = BatesFormat {
            prefix: "X-".into(),
            width: 6,
        };
        assert_eq!(f.numbers(121, 123, 1), ["X-000121", "X-000122", "X-000123"]);
        assert_eq!(f.numbers(121, 123, 3), ["X-000121", "X-000122", "X-000123"]);
        assert_eq!(
            f.numbers(121, 123, 5),
            [
                "X-000121",
                "X-000122",
                "X-000123",
                "X-000123.001",
                "X-000123.002"
            ]
        );
        assert_eq!(f.last(121, 123, 5), "X-000123.002");
        assert_eq!(f.last(121, 123, 2), "X-000123");
    }
    use proptest::prelude::*;

    #[test]
    fn formats_and_overflows() {
        let f = BatesFormat {
            prefix: "DHS-MPP-".into(),
            width: 6,
        };
        assert_eq!(f.format(101), "DHS-MPP-000101");
        assert!(f.fits(999_999));
        assert!(!f.fits(1_000_000));
        assert_eq!(f.parse("DHS-MPP-000101"), Some(101));
        assert_eq!(f.parse("DHS-MPP-00101"), None);
        assert_eq!(f.parse("DHS-MPQ-000101"), None);
    }

    proptest! {
        #[test]
        fn parse_inverts_format(prefix in "[A-Z]{1,5}-?", width in 1u32..10, raw in 0u64..u64::MAX) {
            let f = BatesFormat { prefix, width };
            let n = raw % (f.max() + 1);
            prop_assert!(f.fits(n));
            prop_assert_eq!(f.parse(&f.format(n)), Some(n));
            prop_assert_eq!(f.format(n).len(), f.prefix.len() + width as usize);
        }

        #[test]
        fn order_of_numbers_is_order_of_strings(width in 1u32..10, a in 0u64..u64::MAX, b in 0u64..u64::MAX) {
            let f = BatesFormat { prefix: "X".into(), width };
            let (a, b) = (a % (f.max() + 1), b % (f.max() + 1));
            prop_assert_eq!(a.cmp(&b), f.format(a).cmp(&f.format(b)));
        }
    }
}
