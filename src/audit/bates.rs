//! Bates numbers as any tool writes them: a prefix, a zero-padded number and
//! an optional suffix marking an inserted page (`ABC-0000001A`,
//! `ABC-0000001.001`), and the (prefix, width) patterns a volume follows.

use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bates {
    pub prefix: Box<str>,
    pub number: u64,
    /// Digits as written (zero padding included).
    pub width: usize,
    /// `A`, `.001`, … for an inserted page; empty otherwise.
    pub suffix: Box<str>,
}

impl Bates {
    /// Parses `PREFIX` + digits + optional suffix; `None` when no digits end the body.
    pub fn parse(text: &str) -> Option<Bates> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let (body, suffix) = split_suffix(text);
        let mut start = body.len();
        for (i, c) in body.char_indices().rev() {
            if c.is_ascii_digit() {
                start = i;
            } else {
                break;
            }
        }
        let digits = &body[start..];
        if digits.is_empty() || digits.len() > 18 {
            return None;
        }
        let number = digits.parse().ok()?;
        Some(Bates {
            prefix: body[..start].into(),
            number,
            width: digits.len(),
            suffix: suffix.into(),
        })
    }

    /// A page inserted after its base number (it has a suffix).
    pub fn is_inserted(&self) -> bool {
        !self.suffix.is_empty()
    }
}

/// `prefix` + `number` zero-padded to `width`.
pub fn format(prefix: &str, width: usize, number: u64) -> String {
    format!("{prefix}{number:0width$}")
}

/// Splits a trailing `.digits` or one or two letters that follow a digit.
fn split_suffix(text: &str) -> (&str, &str) {
    let ends_with_digit = |s: &str| s.chars().last().is_some_and(|c| c.is_ascii_digit());
    if let Some(dot) = text.rfind('.') {
        let tail = &text[dot + 1..];
        if !tail.is_empty()
            && tail.bytes().all(|b| b.is_ascii_digit())
            && ends_with_digit(&text[..dot])
        {
            return (&text[..dot], &text[dot..]);
        }
    }
    let body = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let letters = text.len() - body.len();
    if (1..=2).contains(&letters) && ends_with_digit(body) {
        return (body, &text[body.len()..]);
    }
    (text, "")
}

/// Why a prefix can never be right: a space, or a character other than ASCII
/// letters, digits, `-`, `_` and `.` (a typographic dash looks like `-` but
/// does not match in review platforms).
pub fn prefix_problem(prefix: &str) -> Option<String> {
    let bad = prefix
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))?;
    Some(match bad {
        ' ' => "has a space in it".to_string(),
        c if c.is_ascii() => format!("has the character `{c}` in its prefix"),
        c => format!(
            "has the non-ASCII character `{c}` (U+{:04X}) in its prefix",
            c as u32
        ),
    })
}

/// Prefixes that differ only by case, separators or a look-alike dash share a key.
fn group_key(prefix: &str) -> String {
    prefix
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The (prefix, width) patterns of one volume. Several prefixes are fine
/// when each is used consistently.
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    /// Accepted prefix → width.
    pub accepted: BTreeMap<String, usize>,
    /// Group key → the accepted prefix of that group.
    groups: HashMap<String, String>,
    pub overridden: bool,
}

impl Patterns {
    /// Learns the patterns most numbers follow. Inserted pages do not vote.
    pub fn learn<'a>(numbers: impl IntoIterator<Item = &'a Bates>) -> Patterns {
        let mut prefixes: BTreeMap<String, BTreeMap<usize, usize>> = BTreeMap::new();
        for b in numbers.into_iter().filter(|b| !b.is_inserted()) {
            *prefixes
                .entry(b.prefix.to_string())
                .or_default()
                .entry(b.width)
                .or_default() += 1;
        }
        let mut by_group: BTreeMap<String, Vec<(usize, &String)>> = BTreeMap::new();
        for (prefix, widths) in &prefixes {
            by_group
                .entry(group_key(prefix))
                .or_default()
                .push((widths.values().sum(), prefix));
        }
        let mut patterns = Patterns::default();
        for (key, mut members) in by_group {
            // The most used valid prefix wins; ties go to the first in byte order.
            members.retain(|(_, p)| prefix_problem(p).is_none());
            members.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
            let Some((_, prefix)) = members.first() else {
                continue;
            };
            let widths = &prefixes[*prefix];
            let width = widths
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map_or(0, |(w, _)| *w);
            patterns.accepted.insert((*prefix).clone(), width);
            patterns.groups.insert(key, (*prefix).clone());
        }
        patterns
    }

    /// Patterns given with `--bates-pattern PREFIX:WIDTH`.
    pub fn fixed(list: &[(String, usize)]) -> Patterns {
        let mut patterns = Patterns {
            overridden: true,
            ..Default::default()
        };
        for (prefix, width) in list {
            patterns.accepted.insert(prefix.clone(), *width);
            patterns.groups.insert(group_key(prefix), prefix.clone());
        }
        patterns
    }

    /// The accepted prefix a number counts under for gaps and overlaps: its
    /// own, or the one it was evidently meant to have (`ABC0000005` → `ABC-`).
    pub fn canonical(&self, b: &Bates) -> Option<&str> {
        // Most numbers use an accepted prefix as written: no key to build.
        if let Some((prefix, _)) = self.accepted.get_key_value(&*b.prefix) {
            return Some(prefix.as_str());
        }
        self.groups.get(&group_key(&b.prefix)).map(String::as_str)
    }

    pub fn width_of(&self, prefix: &str) -> Option<usize> {
        self.accepted.get(prefix).copied()
    }

    /// Why `b` breaks the volume's patterns, if it does. Inserted pages never do.
    pub fn problem(&self, b: &Bates) -> Option<String> {
        if b.is_inserted() {
            return None;
        }
        if let Some(p) = prefix_problem(&b.prefix) {
            return Some(p);
        }
        let Some(prefix) = self.canonical(b) else {
            return Some(format!(
                "does not follow the volume's pattern {}",
                self.describe()
            ));
        };
        if *prefix != *b.prefix {
            return Some(format!(
                "uses the prefix `{}` where the volume uses `{prefix}`",
                b.prefix
            ));
        }
        let width = self.accepted[prefix];
        if b.width != width {
            return Some(format!(
                "has {} digits where the volume's `{prefix}` numbers have {width}",
                b.width
            ));
        }
        None
    }

    /// `ABC-####### or DEF-######`.
    pub fn describe(&self) -> String {
        let list: Vec<String> = self
            .accepted
            .iter()
            .map(|(p, w)| format!("{p}{}", "#".repeat(*w)))
            .collect();
        if list.is_empty() {
            "(none)".into()
        } else {
            list.join(" or ")
        }
    }

    pub fn list(&self) -> Vec<String> {
        self.accepted
            .iter()
            .map(|(p, w)| format!("{p}{}", "#".repeat(*w)))
            .collect()
    }
}

/// `PREFIX:WIDTH` as given on the command line.
pub fn parse_pattern(text: &str) -> Result<(String, usize), String> {
    let (prefix, width) = text
        .rsplit_once(':')
        .ok_or_else(|| format!("`{text}` is not PREFIX:WIDTH"))?;
    let width: usize = width
        .trim()
        .parse()
        .map_err(|_| format!("`{width}` in `{text}` is not a number of digits"))?;
    if !(1..=18).contains(&width) {
        return Err(format!(
            "the width in `{text}` must be between 1 and 18 digits"
        ));
    }
    if let Some(p) = prefix_problem(prefix) {
        return Err(format!("the prefix in `{text}` {p}"));
    }
    Ok((prefix.to_string(), width))
}

/// Splits a range cell (`ABC-0001 - ABC-0003`, `ABC-0001–ABC-0003`,
/// `ABC-0001 to ABC-0003`, `ABC-0001-ABC-0003`) into its two ends; a single
/// number is both ends.
pub fn split_range(text: &str) -> (String, String) {
    let text = text.trim();
    for sep in [
        " - ",
        " – ",
        " — ",
        " to ",
        " through ",
        " thru ",
        "–",
        "—",
        " -",
        "- ",
    ] {
        if let Some((a, b)) = text.split_once(sep)
            && Bates::parse(a).is_some()
            && Bates::parse(b).is_some()
        {
            return (a.trim().to_string(), b.trim().to_string());
        }
    }
    for (i, _) in text.match_indices('-') {
        let (a, b) = (&text[..i], &text[i + 1..]);
        if let (Some(x), Some(y)) = (Bates::parse(a), Bates::parse(b))
            && x.prefix == y.prefix
            && !x.prefix.is_empty()
        {
            return (a.to_string(), b.to_string());
        }
    }
    (text.to_string(), text.to_string())
}

/// The runs of consecutive numbers that `ranges` (first, last; first not
/// after last) hold together, in order: what [`runs`] gives for every
/// number they hold, without listing each (one row may claim millions).
pub fn runs_of_ranges(mut ranges: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    ranges.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::new();
    for (first, last) in ranges {
        match out.last_mut() {
            Some((_, end)) if first <= end.saturating_add(1) => *end = (*end).max(last),
            _ => out.push((first, last)),
        }
    }
    out
}

/// Collapses sorted numbers into runs: `[(1, 3), (7, 7)]`.
pub fn runs(numbers: &[u64]) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    for &n in numbers {
        match out.last_mut() {
            Some((_, end)) if *end + 1 == n || *end == n => *end = n,
            _ => out.push((n, n)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Bates {
        Bates::parse(s).unwrap()
    }

    #[test]
    fn parses_prefix_number_and_suffix() {
        assert_eq!(
            b("ABC-0000001"),
            Bates {
                prefix: "ABC-".into(),
                number: 1,
                width: 7,
                suffix: "".into()
            }
        );
        assert_eq!(&*b("DHS-MPP-000101").prefix, "DHS-MPP-");
        assert_eq!(&*b("ABC-0000001A").suffix, "A");
        assert_eq!(b("ABC-0000001A").number, 1);
        assert_eq!(&*b("ABC-0000001.001").suffix, ".001");
        assert_eq!(b("ABC-0000001.001").width, 7);
        assert_eq!(&*b("0000123").prefix, "");
        assert_eq!(&*b(" ABC0001 ").prefix, "ABC");
        assert!(Bates::parse("ABC").is_none());
        assert!(Bates::parse("").is_none());
        assert!(Bates::parse("ABC-12345678901234567890").is_none());
    }

    #[test]
    fn patterns_accept_several_consistent_prefixes() {
        let nums: Vec<Bates> = [
            "ABC-0000001",
            "ABC-0000002",
            "ABC-0000003",
            "XYZ_00010",
            "XYZ_00011",
            "ABC-0000004A",
        ]
        .iter()
        .map(|s| b(s))
        .collect();
        let p = Patterns::learn(&nums);
        assert_eq!(p.describe(), "ABC-####### or XYZ_#####");
        assert!(nums.iter().all(|n| p.problem(n).is_none()));
        assert!(p.problem(&b("ABC-000005")).unwrap().contains("6 digits"));
        assert!(
            p.problem(&b("ABC0000005"))
                .unwrap()
                .contains("prefix `ABC`")
        );
        assert_eq!(p.canonical(&b("ABC0000005")), Some("ABC-"));
        assert!(
            p.problem(&b("ABC\u{2010}0000005"))
                .unwrap()
                .contains("U+2010")
        );
        assert!(p.problem(&b("ABC 0000005")).unwrap().contains("space"));
    }

    #[test]
    fn ranges_split_on_common_separators() {
        assert_eq!(
            split_range("ABC-0001 - ABC-0003"),
            ("ABC-0001".into(), "ABC-0003".into())
        );
        assert_eq!(
            split_range("ABC-0001–ABC-0003"),
            ("ABC-0001".into(), "ABC-0003".into())
        );
        assert_eq!(
            split_range("ABC-0001-ABC-0003"),
            ("ABC-0001".into(), "ABC-0003".into())
        );
        assert_eq!(
            split_range("ABC-0001"),
            ("ABC-0001".into(), "ABC-0001".into())
        );
        assert_eq!(runs(&[1, 2, 3, 7, 9, 10]), vec![(1, 3), (7, 7), (9, 10)]);
        // Ranges overlapping, inside one another, touching and apart give
        // the runs of every number they hold.
        let ranges = vec![(9, 10), (1, 2), (2, 3), (5, 5), (4, 4), (12, 20), (13, 14)];
        let mut every: Vec<u64> = ranges.iter().flat_map(|&(x, y)| x..=y).collect();
        every.sort_unstable();
        every.dedup();
        assert_eq!(runs_of_ranges(ranges), runs(&every));
        assert_eq!(runs_of_ranges(vec![(1, 5), (7, 9)]), vec![(1, 5), (7, 9)]);
        // A claim of a billion numbers is one run, not a billion numbers.
        assert_eq!(
            runs_of_ranges(vec![(1, 1_000_000_000), (5, 6), (u64::MAX, u64::MAX)]),
            vec![(1, 1_000_000_000), (u64::MAX, u64::MAX)]
        );
    }

    #[test]
    fn patterns_parse_from_the_command_line() {
        assert_eq!(parse_pattern("DHS-MPP-:6").unwrap(), ("DHS-MPP-".into(), 6));
        assert!(parse_pattern("ABC").is_err());
        assert!(parse_pattern("A B:6").is_err());
        assert!(parse_pattern("ABC:0").is_err());
    }
}
