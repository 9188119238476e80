//! Lists of numbers, one per row or per file (the files tied to a row, the
//! rows naming a file). Most hold one number, so a list's only number is
//! kept in place (8 bytes a list) and only lists of two or more have a
//! vector of their own. As a `Vec<Vec<usize>>` a list of one cost 32 bytes
//! and a heap block, and a volume holds 600,000 of them; packing those into
//! one array once tied still held both forms for a moment.

use std::ops::Index;

/// In `first`: the list is empty.
const EMPTY: usize = usize::MAX;
/// Set in `first` (below [`EMPTY`]): the list has two or more numbers, in
/// `more` at the position in the other bits.
const MORE: usize = 1 << (usize::BITS - 1);

#[derive(Debug, Default)]
pub struct Lists {
    /// List `i`'s only number, or [`EMPTY`], or [`MORE`] with its place in `more`.
    first: Vec<usize>,
    /// The lists of two or more numbers, each in the order its numbers were added.
    more: Vec<Vec<usize>>,
}

impl Lists {
    /// `n` empty lists.
    pub fn new(n: usize) -> Lists {
        Lists {
            first: vec![EMPTY; n],
            more: Vec::new(),
        }
    }

    /// How many lists.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds `value` to list `i` unless it holds it already. Values are row
    /// and file numbers, far below [`MORE`].
    pub fn add(&mut self, i: usize, value: usize) {
        debug_assert!(value < MORE);
        match self.first[i] {
            EMPTY => self.first[i] = value,
            at if at & MORE != 0 => {
                let list = &mut self.more[at & !MORE];
                if !list.contains(&value) {
                    list.push(value);
                }
            }
            only if only == value => {}
            only => {
                self.first[i] = MORE | self.more.len();
                self.more.push(vec![only, value]);
            }
        }
    }

    /// Once every number is added: the longer lists give back their spare room.
    pub fn shrink(&mut self) {
        self.more.iter_mut().for_each(Vec::shrink_to_fit);
        self.more.shrink_to_fit();
    }

    /// Every list, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[usize]> + '_ {
        (0..self.len()).map(move |i| &self[i])
    }
}

impl Index<usize> for Lists {
    type Output = [usize];

    fn index(&self, i: usize) -> &[usize] {
        match self.first[i] {
            EMPTY => &[],
            at if at & MORE != 0 => &self.more[at & !MORE],
            _ => std::slice::from_ref(&self.first[i]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_keep_their_numbers_in_order_once_each() {
        let mut lists = Lists::new(4);
        for (i, v) in [
            (0, 7),
            (2, 1),
            (2, 9),
            (0, 7),
            (2, 3),
            (2, 1),
            (2, 4),
            (2, 5),
        ] {
            lists.add(i, v);
        }
        let all: Vec<Vec<usize>> = lists.iter().map(<[usize]>::to_vec).collect();
        assert_eq!(all, vec![vec![7], vec![], vec![1, 9, 3, 4, 5], vec![]]);
        assert_eq!((lists.len(), &lists[3]), (4, &[][..]));
        assert!(Lists::new(0).is_empty());
        lists.add(1, 2);
        lists.add(3, 0);
        lists.add(3, 0);
        lists.add(1, 6);
        lists.shrink();
        assert_eq!(
            (&lists[1], &lists[2], &lists[3]),
            (&[2, 6][..], &[1, 9, 3, 4, 5][..], &[0][..])
        );
    }
}
