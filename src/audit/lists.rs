//! Lists of numbers, one per row or per file (the files tied to a row, the
//! rows naming a file): grown one number at a time while rows are tied to
//! files, then packed into one array for the rest of the audit. As a
//! `Vec<Vec<usize>>` a list of one cost 32 bytes and a heap block; packed it
//! costs 12, and a volume holds 600,000 of them.

use std::ops::Index;

#[derive(Debug, Default)]
pub struct Lists {
    /// While growing: one vector a list.
    growing: Vec<Vec<usize>>,
    /// Once packed: list `i` is `items[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    items: Vec<usize>,
}

impl Lists {
    /// `n` empty lists, growing.
    pub fn new(n: usize) -> Lists {
        Lists {
            growing: vec![Vec::new(); n],
            ..Lists::default()
        }
    }

    /// How many lists.
    pub fn len(&self) -> usize {
        if self.packed() {
            self.starts.len() - 1
        } else {
            self.growing.len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn packed(&self) -> bool {
        !self.starts.is_empty()
    }

    /// Adds `value` to list `i` unless it holds it already. The first
    /// numbers get room for themselves only: most lists hold one. Packed
    /// lists are unpacked first (nothing adds to them once packed today).
    pub fn add(&mut self, i: usize, value: usize) {
        if self.packed() {
            self.growing = self.iter().map(<[usize]>::to_vec).collect();
            self.starts = Vec::new();
            self.items = Vec::new();
        }
        let list = &mut self.growing[i];
        if !list.contains(&value) {
            if list.len() < 4 {
                list.reserve_exact(1);
            }
            list.push(value);
        }
    }

    /// Packs the lists into one array; they are read only from now on. Left
    /// growing should the numbers not fit the offsets (4 billion of them).
    pub fn pack(&mut self) {
        let total: usize = self.growing.iter().map(Vec::len).sum();
        if self.packed() || u32::try_from(total).is_err() {
            return;
        }
        let mut starts = Vec::with_capacity(self.growing.len() + 1);
        let mut items = Vec::with_capacity(total);
        starts.push(0);
        // Each list is freed as it is copied, so the two forms are not both
        // held whole.
        for list in std::mem::take(&mut self.growing) {
            items.extend_from_slice(&list);
            starts.push(items.len() as u32);
        }
        self.starts = starts;
        self.items = items;
    }

    /// Every list, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[usize]> + '_ {
        (0..self.len()).map(move |i| &self[i])
    }
}

impl Index<usize> for Lists {
    type Output = [usize];

    fn index(&self, i: usize) -> &[usize] {
        if self.packed() {
            &self.items[self.starts[i] as usize..self.starts[i + 1] as usize]
        } else {
            &self.growing[i]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_the_same_growing_and_packed() {
        let mut lists = Lists::new(4);
        for (i, v) in [(0, 7), (2, 1), (2, 9), (0, 7), (2, 3), (2, 4), (2, 5)] {
            lists.add(i, v);
        }
        let growing: Vec<Vec<usize>> = lists.iter().map(<[usize]>::to_vec).collect();
        assert_eq!(growing, vec![vec![7], vec![], vec![1, 9, 3, 4, 5], vec![]]);
        lists.pack();
        let packed: Vec<Vec<usize>> = lists.iter().map(<[usize]>::to_vec).collect();
        assert_eq!(packed, growing);
        assert_eq!((lists.len(), &lists[3]), (4, &[][..]));
        assert!(Lists::new(0).is_empty());
        lists.add(1, 2);
        assert_eq!((&lists[1], &lists[2]), (&[2][..], &[1, 9, 3, 4, 5][..]));
    }
}
