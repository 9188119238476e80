//! status: counts, pace, projected finish and verdicts at the edges; the page.

use crate::util::*;
use serde_json::Value;

fn matter_with_deadline(date: &str) -> TestMatter {
    let m = TestMatter::new("generic");
    let config = m.root.join("adrec.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace(
        "# [[deadline]]\n# name = \"Lodge the certified administrative record\"\n# date = \"2026-12-31\"",
        &format!("[[deadline]]\nname = \"Lodge the record\"\ndate = \"{date}\""),
    );
    std::fs::write(&config, text).unwrap();
    let src = m.scratch("src");
    for i in 0..4 {
        std::fs::write(src.join(format!("memo{i}.txt")), format!("memo {i}")).unwrap();
    }
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    m
}

fn verdict(report: &Value) -> &str {
    report["deadlines"][0]["verdict"].as_str().unwrap()
}

fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

#[test]
fn zero_pace_is_at_risk_and_status_changes_nothing() {
    let m = matter_with_deadline("2099-01-01");
    let before = m.state();
    let r = m.json(&["status"]);
    assert_eq!(r["unreviewed"], 4);
    assert_eq!(r["pace_per_day"], 0.0);
    assert!(r["projected_finish"].is_null());
    assert_eq!(verdict(&r), "at_risk");
    assert_eq!(m.state(), before, "status writes nothing");
}

#[test]
fn pace_counts_first_reviews_in_the_last_14_days() {
    let m = matter_with_deadline("2099-01-01");
    m.cmd()
        .args([
            "tag",
            "DOC-000001",
            "DOC-000002",
            "--status",
            "not-responsive",
        ])
        .assert()
        .success();
    // A second change to the same document is not a second first review.
    m.cmd()
        .args([
            "tag",
            "DOC-000001",
            "--status",
            "produce",
            "--category",
            "1",
        ])
        .assert()
        .success();
    let r = m.json(&["status"]);
    assert_eq!(r["reviewed_in_window"], 2);
    assert_eq!(r["pace_per_day"], 0.14);
    // 2 unreviewed at 2/14 a day: 14 days.
    let finish = today()
        .checked_add(jiff::Span::new().days(14))
        .unwrap()
        .to_string();
    assert_eq!(r["projected_finish"], finish.as_str());
    assert_eq!(verdict(&r), "on_track");
    // Fifteen days on, the reviews fall out of the window.
    let later = today()
        .checked_add(jiff::Span::new().days(14))
        .unwrap()
        .to_string();
    let r = m.json(&["status", "--as-of", &later]);
    assert_eq!(r["reviewed_in_window"], 0);
    assert_eq!(verdict(&r), "at_risk");
}

#[test]
fn verdicts_on_the_deadline_and_one_day_late() {
    let deadline = "2030-06-14";
    let m = matter_with_deadline(deadline);
    m.cmd()
        .args([
            "tag",
            "DOC-000001",
            "DOC-000002",
            "DOC-000003",
            "DOC-000004",
            "--status",
            "produce",
            "--category",
            "1",
        ])
        .assert()
        .success();
    let r = m.json(&["status", "--as-of", deadline]);
    assert_eq!(r["awaiting_production"], 4);
    assert_eq!(r["deadlines"][0]["days_left"], 0);
    assert_eq!(
        verdict(&r),
        "at_risk",
        "everything reviewed but nothing produced and the pace window is empty"
    );
    m.cmd()
        .args(["produce", "VOL001", "--date", deadline])
        .assert()
        .success();
    let r = m.json(&["status", "--as-of", "2030-06-20"]);
    assert_eq!(verdict(&r), "met", "the volume is dated on the deadline");

    let late = matter_with_deadline(deadline);
    late.cmd()
        .args([
            "tag",
            "DOC-000001",
            "DOC-000002",
            "DOC-000003",
            "DOC-000004",
            "--status",
            "produce",
            "--category",
            "1",
        ])
        .assert()
        .success();
    late.cmd()
        .args(["produce", "VOL001", "--date", "2030-06-15"])
        .assert()
        .success();
    let r = late.json(&["status", "--as-of", "2030-06-20"]);
    assert_eq!(r["deadlines"][0]["days_left"], -6);
    assert_eq!(verdict(&r), "missed", "one day late");
}

#[test]
fn the_status_page_renders_with_its_facts_and_charts() {
    let m = matter_with_deadline("2099-01-01");
    m.cmd()
        .args([
            "tag",
            "DOC-000001",
            "--status",
            "produce",
            "--category",
            "1",
        ])
        .assert()
        .success();
    let page = m.scratch("out").join("status.html");
    m.cmd()
        .args(["status", "--html", page.to_str().unwrap()])
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    for external in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "<link",
        "<script src",
        "@import",
    ] {
        assert!(
            !html.contains(external),
            "the page loads an external asset ({external})"
        );
    }
    let Some(dom) = chromium_dom(&page) else {
        return;
    };
    for needle in [
        "Lodge the record",
        "id=\"category-chart\"",
        "id=\"burndown-chart\"",
        "<rect",
        "<polyline",
        "on track",
    ] {
        assert!(
            dom.contains(needle),
            "{needle} missing from the rendered page"
        );
    }
}
