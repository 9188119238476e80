//! The deadline dry run: counts, blockers, review pace, projected finish and
//! a verdict per deadline, computed from facts without changing anything.

pub mod html;

use crate::matter::Config;
use crate::matter::store::VolumeInfo;
use crate::model::Document;
use crate::model::Status;
use crate::produce::plan::Blocker;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// Review pace is measured over this many calendar days ending on the as-of date.
pub const PACE_WINDOW_DAYS: i64 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    OnTrack,
    AtRisk,
    Missed,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::OnTrack => "on track",
            Verdict::AtRisk => "at risk",
            Verdict::Missed => "missed",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineStatus {
    pub name: String,
    pub date: String,
    pub days_left: i64,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, Serialize)]
pub struct BurnPoint {
    pub date: String,
    pub unreviewed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub as_of: String,
    pub caption: String,
    pub case_number: String,
    pub documents: usize,
    /// Category id (or `(none)`) → status → count.
    pub by_category: BTreeMap<String, BTreeMap<String, usize>>,
    pub by_status: BTreeMap<String, usize>,
    pub produced: usize,
    pub awaiting_production: usize,
    pub volumes: Vec<VolumeInfo>,
    pub blockers: Vec<Blocker>,
    /// What the dry run warns of (covered text in produced PDFs, redacted
    /// files whose text still holds the original's words).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Clawbacks no overlay volume has replaced yet.
    pub outstanding_clawbacks: Vec<crate::clawback::Outstanding>,
    pub unreviewed: usize,
    pub reviewed_in_window: usize,
    pub pace_per_day: f64,
    pub projected_finish: Option<String>,
    pub deadlines: Vec<DeadlineStatus>,
    pub burndown: Vec<BurnPoint>,
}

pub struct Input<'a> {
    pub as_of: Date,
    pub config: &'a Config,
    /// The matter's documents, counted.
    pub tally: Tally,
    pub volumes: &'a [VolumeInfo],
    /// Documents already in a volume (produced, withheld or duplicates).
    pub in_volumes: usize,
    pub awaiting_production: usize,
    pub blockers: Vec<Blocker>,
    pub warnings: Vec<String>,
    pub outstanding_clawbacks: Vec<crate::clawback::Outstanding>,
}

/// What `status` needs of the matter's documents, counted one at a time as
/// they are read (a matter of a million documents is never held whole):
/// counts by status and category, and documents by the day they were
/// ingested and first reviewed.
pub struct Tally {
    /// Stored timestamps are read as local calendar days in this zone.
    zone: jiff::tz::TimeZone,
    documents: usize,
    by_status: BTreeMap<&'static str, usize>,
    /// Category id (or `(none)`) → status → count.
    by_category: BTreeMap<String, BTreeMap<&'static str, usize>>,
    /// Documents by the day of their first review.
    reviewed_on: BTreeMap<Date, usize>,
    /// Documents by the day they were ingested.
    ingested_on: BTreeMap<Date, usize>,
    /// Documents ingested and reviewed, by the later of the two days: the
    /// day from which they no longer count as unreviewed.
    done_on: BTreeMap<Date, usize>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally::in_zone(jiff::tz::TimeZone::system())
    }
}

impl Tally {
    /// An empty tally reading timestamps in `zone`.
    pub fn in_zone(zone: jiff::tz::TimeZone) -> Tally {
        Tally {
            zone,
            documents: 0,
            by_status: BTreeMap::new(),
            by_category: BTreeMap::new(),
            reviewed_on: BTreeMap::new(),
            ingested_on: BTreeMap::new(),
            done_on: BTreeMap::new(),
        }
    }

    /// Counts one document.
    pub fn add(&mut self, d: &Document) {
        let status = d.review.status.as_str();
        self.documents += 1;
        *self.by_status.entry(status).or_default() += 1;
        if d.review.categories.is_empty() {
            self.count_category("(none)", status);
        }
        for c in &d.review.categories {
            self.count_category(c, status);
        }
        let reviewed = d
            .review
            .first_reviewed_at
            .as_deref()
            .and_then(|t| self.local_date(t));
        if let Some(day) = reviewed {
            *self.reviewed_on.entry(day).or_default() += 1;
        }
        if let Some(day) = self.local_date(&d.ingested_at) {
            *self.ingested_on.entry(day).or_default() += 1;
            if let Some(r) = reviewed {
                *self.done_on.entry(day.max(r)).or_default() += 1;
            }
        }
    }

    fn count_category(&mut self, category: &str, status: &'static str) {
        let counts = match self.by_category.get_mut(category) {
            Some(counts) => counts,
            None => self.by_category.entry(category.to_string()).or_default(),
        };
        *counts.entry(status).or_default() += 1;
    }

    /// The local calendar date of a stored timestamp.
    fn local_date(&self, timestamp: &str) -> Option<Date> {
        let ts: jiff::Timestamp = timestamp.parse().ok()?;
        Some(ts.to_zoned(self.zone.clone()).date())
    }
}

/// Every status, counted nothing yet.
fn zeros() -> BTreeMap<String, usize> {
    Status::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect()
}

/// Adds `counts` (by status) to `into`.
fn add_counts(into: &mut BTreeMap<String, usize>, counts: &BTreeMap<&'static str, usize>) {
    for (s, n) in counts {
        *into.entry(s.to_string()).or_default() += n;
    }
}

/// How many of `by_day` fall on `from..=to`.
fn on_days(by_day: &BTreeMap<Date, usize>, from: Date, to: Date) -> usize {
    if from > to {
        return 0;
    }
    by_day.range(from..=to).map(|(_, n)| n).sum()
}

/// How many of `by_day` fall on `day` or before.
fn up_to(by_day: &BTreeMap<Date, usize>, day: Date) -> usize {
    by_day.range(..=day).map(|(_, n)| n).sum()
}

pub fn compute(input: Input<'_>) -> Report {
    let as_of = input.as_of;
    let tally = &input.tally;
    // A configured category lists every status; one only documents carry
    // (not configured, or `(none)`) lists the statuses they have.
    let mut by_category: BTreeMap<String, BTreeMap<String, usize>> = input
        .config
        .categories
        .iter()
        .map(|c| (c.id.clone(), zeros()))
        .collect();
    for (c, counts) in &tally.by_category {
        add_counts(by_category.entry(c.clone()).or_default(), counts);
    }
    let mut by_status = zeros();
    add_counts(&mut by_status, &tally.by_status);
    let unreviewed = by_status.get("unreviewed").copied().unwrap_or(0);
    let window_start = as_of
        .checked_sub(jiff::Span::new().days(PACE_WINDOW_DAYS - 1))
        .unwrap_or(as_of);
    let reviewed_in_window = on_days(&tally.reviewed_on, window_start, as_of);
    let pace = reviewed_in_window as f64 / PACE_WINDOW_DAYS as f64;
    let projected = if pace > 0.0 {
        let days = (unreviewed as f64 / pace).ceil() as i64;
        as_of.checked_add(jiff::Span::new().days(days)).ok()
    } else {
        None
    };
    let last_volume = input
        .volumes
        .iter()
        .filter_map(|v| v.date.parse::<Date>().ok())
        .max();
    let deadlines = input
        .config
        .deadlines
        .iter()
        .filter_map(|d| d.civil_date().map(|date| (d, date)))
        .map(|(d, date)| {
            let days_left = (date - as_of).get_days() as i64;
            let verdict = verdict(
                date,
                as_of,
                unreviewed,
                input.awaiting_production,
                last_volume,
                projected,
            );
            DeadlineStatus {
                name: d.name.clone(),
                date: date.to_string(),
                days_left,
                verdict,
            }
        })
        .collect();
    Report {
        schema_version: 1,
        as_of: as_of.to_string(),
        caption: input.config.matter.caption.clone(),
        case_number: input.config.matter.case_number.clone(),
        documents: tally.documents,
        by_category,
        by_status,
        produced: input.in_volumes,
        awaiting_production: input.awaiting_production,
        volumes: input.volumes.to_vec(),
        blockers: input.blockers,
        warnings: input.warnings,
        outstanding_clawbacks: input.outstanding_clawbacks,
        unreviewed,
        reviewed_in_window,
        pace_per_day: (pace * 100.0).round() / 100.0,
        projected_finish: projected.map(|d| d.to_string()),
        deadlines,
        burndown: burndown(tally, as_of),
    }
}

/// The SPEC's verdict rules, in order.
pub fn verdict(
    deadline: Date,
    as_of: Date,
    unreviewed: usize,
    awaiting: usize,
    last_volume: Option<Date>,
    projected: Option<Date>,
) -> Verdict {
    if unreviewed == 0 && awaiting == 0 && last_volume.is_none_or(|v| v <= deadline) {
        Verdict::Met
    } else if deadline < as_of {
        Verdict::Missed
    } else if projected.is_some_and(|p| p <= deadline) {
        Verdict::OnTrack
    } else {
        Verdict::AtRisk
    }
}

/// Unreviewed documents at the end of each day, from the first ingest (at most
/// 90 days back) to the as-of date.
fn burndown(tally: &Tally, as_of: Date) -> Vec<BurnPoint> {
    let Some(first) = tally.ingested_on.keys().next().copied() else {
        return Vec::new();
    };
    let earliest = as_of
        .checked_sub(jiff::Span::new().days(89))
        .unwrap_or(as_of);
    let mut day = first.max(earliest).min(as_of);
    let mut out = Vec::new();
    loop {
        let present = up_to(&tally.ingested_on, day);
        let done = up_to(&tally.done_on, day);
        out.push(BurnPoint {
            date: day.to_string(),
            unreviewed: present - done,
        });
        if day >= as_of {
            break;
        }
        day = match day.tomorrow() {
            Ok(d) => d,
            Err(_) => break,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matter::Config;
    use crate::model::Review;
    use jiff::civil::date;

    /// A document ingested at `ingested`, first reviewed at `reviewed`.
    fn doc(
        status: Status,
        categories: &[&str],
        ingested: &str,
        reviewed: Option<&str>,
    ) -> Document {
        Document {
            ingested_at: ingested.into(),
            ..Document::for_tests(Review {
                status,
                categories: categories.iter().map(|c| c.to_string()).collect(),
                first_reviewed_at: reviewed.map(str::to_string),
                ..Review::default()
            })
        }
    }

    #[test]
    fn a_tally_counts_by_status_category_and_day_as_the_documents_go_by() {
        let mut tally = Tally::in_zone(jiff::tz::TimeZone::UTC);
        for d in [
            // Ingested on the 1st, reviewed on the 3rd.
            doc(
                Status::Produce,
                &["1"],
                "2024-04-01T09:00:00Z",
                Some("2024-04-03T10:00:00Z"),
            ),
            // Ingested on the 2nd, its first review dated before (a clock set wrong).
            doc(
                Status::Withhold,
                &["1", "9"],
                "2024-04-02T09:00:00Z",
                Some("2024-03-30T10:00:00Z"),
            ),
            // Not reviewed.
            doc(Status::Unreviewed, &[], "2024-04-02T23:00:00Z", None),
            // A timestamp that does not read is no day at all.
            doc(Status::Unreviewed, &[], "yesterday", None),
            doc(
                Status::Produce,
                &["1"],
                "2024-04-04T09:00:00Z",
                Some("2024-04-05T00:30:00Z"),
            ),
        ] {
            tally.add(&d);
        }
        let template = crate::matter::config::template("mpp-order").unwrap_or_default();
        let mut config = Config::parse(template, std::path::Path::new("adrec.toml")).unwrap();
        config.categories = vec![crate::matter::config::Category {
            id: "1".into(),
            name: "Record".into(),
        }];
        let report = compute(Input {
            as_of: date(2024, 4, 5),
            config: &config,
            tally,
            volumes: &[],
            in_volumes: 0,
            awaiting_production: 0,
            blockers: Vec::new(),
            warnings: Vec::new(),
            outstanding_clawbacks: Vec::new(),
        });
        assert_eq!(report.documents, 5);
        assert_eq!(report.unreviewed, 2);
        assert_eq!(report.by_status["produce"], 2);
        assert_eq!(report.by_status["redact"], 0);
        // A configured category lists every status; others only those seen.
        assert_eq!(report.by_category["1"].len(), Status::ALL.len());
        assert_eq!(report.by_category["1"]["produce"], 2);
        assert_eq!(report.by_category["1"]["withhold"], 1);
        assert_eq!(
            report.by_category["9"],
            BTreeMap::from([("withhold".to_string(), 1)])
        );
        assert_eq!(
            report.by_category["(none)"],
            BTreeMap::from([("unreviewed".to_string(), 2)])
        );
        // The window is the 14 days ending on the 5th: all three reviews.
        assert_eq!(report.reviewed_in_window, 3);
        // Unreviewed at each day's end: the 1st one ingested, none done;
        // the 2nd three ingested, one done (reviewed before it came); the
        // 3rd two done; the 4th one more ingested; the 5th three done.
        let burn: Vec<(&str, usize)> = report
            .burndown
            .iter()
            .map(|p| (p.date.as_str(), p.unreviewed))
            .collect();
        assert_eq!(
            burn,
            [
                ("2024-04-01", 1),
                ("2024-04-02", 2),
                ("2024-04-03", 1),
                ("2024-04-04", 2),
                ("2024-04-05", 1),
            ]
        );
    }

    #[test]
    fn verdicts_at_the_edges() {
        let d = date(2024, 4, 19);
        // Everything done and the last volume dated on the deadline: met.
        assert_eq!(
            verdict(d, date(2024, 4, 25), 0, 0, Some(d), None),
            Verdict::Met
        );
        // Last volume one day late: not met; the deadline has passed: missed.
        assert_eq!(
            verdict(d, date(2024, 4, 25), 0, 0, Some(date(2024, 4, 20)), None),
            Verdict::Missed
        );
        // As of the deadline itself, finishing that day is on track.
        assert_eq!(verdict(d, d, 5, 0, None, Some(d)), Verdict::OnTrack);
        // Finishing one day late is at risk.
        assert_eq!(
            verdict(d, d, 5, 0, None, Some(date(2024, 4, 20))),
            Verdict::AtRisk
        );
        // Zero pace (no projection) is at risk, never on track.
        assert_eq!(
            verdict(d, date(2024, 4, 1), 5, 0, None, None),
            Verdict::AtRisk
        );
        // One day after the deadline with work left: missed.
        assert_eq!(
            verdict(d, date(2024, 4, 20), 5, 0, None, Some(date(2024, 4, 21))),
            Verdict::Missed
        );
        // Nothing unreviewed but documents await production: not met.
        assert_eq!(
            verdict(d, date(2024, 4, 1), 0, 3, None, Some(date(2024, 4, 1))),
            Verdict::OnTrack
        );
    }
}
