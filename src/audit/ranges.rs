//! The rows' Bates ranges, per volume and prefix: which row holds a page
//! number (an image line's key, a file named by a page, an inserted page).

use super::bates::Patterns;
use super::rows::IndexRow;
use std::collections::HashMap;

/// A row's first and last number, and the row.
type Range = (u64, u64, usize);

/// Ranges per (volume, canonical prefix).
type Ranges = HashMap<(usize, String), Spans>;

/// (first, last, row) sorted by first, and how far the ranges up to each
/// reach: a range that starts early and runs long (overlapping the next
/// ones, which the Bates checks report) still holds its numbers.
#[derive(Default)]
struct Spans {
    ranges: Vec<Range>,
    reach: Vec<u64>,
}

impl Spans {
    fn new(mut ranges: Vec<Range>) -> Spans {
        ranges.sort_unstable();
        let reach = ranges
            .iter()
            .scan(0u64, |far, r| {
                *far = (*far).max(r.1);
                Some(*far)
            })
            .collect();
        Spans { ranges, reach }
    }

    /// The row of the range starting nearest below `number` that holds it.
    fn holding(&self, number: u64) -> Option<usize> {
        let end = self.ranges.partition_point(|r| r.0 <= number);
        (0..end)
            .rev()
            .take_while(|&j| self.reach[j] >= number)
            .find(|&j| self.ranges[j].1 >= number)
            .map(|j| self.ranges[j].2)
    }
}

/// Per volume and canonical prefix: the rows' Bates ranges.
pub struct RangeIndex {
    map: Ranges,
}

impl RangeIndex {
    pub fn new(rows: &[IndexRow], patterns: &[Patterns]) -> RangeIndex {
        let mut lists: HashMap<(usize, String), Vec<Range>> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            if let Some((prefix, a, b)) = r.range(&patterns[r.volume]) {
                lists.entry((r.volume, prefix)).or_default().push((a, b, i));
            }
        }
        let map = lists
            .into_iter()
            .map(|(key, list)| (key, Spans::new(list)))
            .collect();
        RangeIndex { map }
    }

    /// The row of `volume` whose range holds `number` under `prefix`.
    pub fn row_holding(&self, volume: usize, prefix: &str, number: u64) -> Option<usize> {
        self.map.get(&(volume, prefix.to_string()))?.holding(number)
    }

    /// Like `row_holding`, across every volume.
    pub fn any_volume(&self, prefix: &str, number: u64) -> Option<usize> {
        self.any_volume_where(prefix, number, |_| true)
    }

    /// Like `any_volume`, for the first row `keep` accepts.
    pub fn any_volume_where(
        &self,
        prefix: &str,
        number: u64,
        keep: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let mut volumes: Vec<usize> = self
            .map
            .keys()
            .filter(|(_, p)| p == prefix)
            .map(|(v, _)| *v)
            .collect();
        volumes.sort_unstable();
        volumes
            .into_iter()
            .find_map(|v| self.row_holding(v, prefix, number).filter(|&r| keep(r)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_range_holds_its_numbers_past_many_short_ones_inside_it() {
        // Row 0 runs 1–1000; rows 1–20 are single pages inside it (an
        // overlap, reported elsewhere): 25 and 999 are still row 0's.
        let mut ranges = vec![(1, 1000, 0)];
        ranges.extend((2..22).map(|n| (n, n, n as usize - 1)));
        ranges.push((2000, 2004, 21));
        let spans = Spans::new(ranges);
        assert_eq!(spans.holding(25), Some(0));
        assert_eq!(spans.holding(999), Some(0));
        assert_eq!(spans.holding(7), Some(6));
        assert_eq!(spans.holding(2003), Some(21));
        assert_eq!(spans.holding(1500), None);
        assert_eq!(spans.holding(0), None);
    }
}
