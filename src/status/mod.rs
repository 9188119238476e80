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
    pub documents: &'a [Document],
    pub volumes: &'a [VolumeInfo],
    /// Documents already in a volume (produced, withheld or duplicates).
    pub in_volumes: usize,
    pub awaiting_production: usize,
    pub blockers: Vec<Blocker>,
    pub warnings: Vec<String>,
    pub outstanding_clawbacks: Vec<crate::clawback::Outstanding>,
}

/// The local calendar date of a stored timestamp.
fn local_date(timestamp: &str) -> Option<Date> {
    let ts: jiff::Timestamp = timestamp.parse().ok()?;
    Some(ts.to_zoned(jiff::tz::TimeZone::system()).date())
}

pub fn compute(input: Input<'_>) -> Report {
    let as_of = input.as_of;
    let mut by_category: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut by_status: BTreeMap<String, usize> = Status::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    for c in &input.config.categories {
        by_category.insert(
            c.id.clone(),
            Status::ALL
                .iter()
                .map(|s| (s.as_str().to_string(), 0))
                .collect(),
        );
    }
    for d in input.documents {
        let status = d.review.status.as_str().to_string();
        *by_status.entry(status.clone()).or_default() += 1;
        let cats = if d.review.categories.is_empty() {
            vec!["(none)".to_string()]
        } else {
            d.review.categories.clone()
        };
        for c in cats {
            *by_category
                .entry(c)
                .or_default()
                .entry(status.clone())
                .or_default() += 1;
        }
    }
    let unreviewed = by_status.get("unreviewed").copied().unwrap_or(0);
    let window_start = as_of
        .checked_sub(jiff::Span::new().days(PACE_WINDOW_DAYS - 1))
        .unwrap_or(as_of);
    let reviewed_in_window = input
        .documents
        .iter()
        .filter_map(|d| d.review.first_reviewed_at.as_deref().and_then(local_date))
        .filter(|day| *day >= window_start && *day <= as_of)
        .count();
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
        documents: input.documents.len(),
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
        burndown: burndown(input.documents, as_of),
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
fn burndown(documents: &[Document], as_of: Date) -> Vec<BurnPoint> {
    let ingested: Vec<Date> = documents
        .iter()
        .filter_map(|d| local_date(&d.ingested_at))
        .collect();
    let reviewed: Vec<Option<Date>> = documents
        .iter()
        .map(|d| d.review.first_reviewed_at.as_deref().and_then(local_date))
        .collect();
    let Some(first) = ingested.iter().min().copied() else {
        return Vec::new();
    };
    let earliest = as_of
        .checked_sub(jiff::Span::new().days(89))
        .unwrap_or(as_of);
    let mut day = first.max(earliest).min(as_of);
    let mut out = Vec::new();
    loop {
        let present = ingested.iter().filter(|d| **d <= day).count();
        let done = reviewed
            .iter()
            .zip(&ingested)
            .filter(|(r, i)| **i <= day && r.is_some_and(|r| r <= day))
            .count();
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
    use jiff::civil::date;

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
