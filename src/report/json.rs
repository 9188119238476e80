//! The audit report as JSON (the same serde structs `--json` prints).

use crate::audit::finding::Report;

pub fn audit(report: &Report) -> Result<String, String> {
    serde_json::to_string_pretty(report)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| format!("could not write JSON: {e}"))
}
