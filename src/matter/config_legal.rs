//! The `adrec.toml` blocks for the legal work around a production:
//! `[load_file]` (DAT profile and encoding), `[privilege_log]` (log profile,
//! where redactions go, the names legend), `[[person]]` (who is named in the
//! log, attorneys marked) and `[certification]` (the certifying declaration).
//! Values are kept as written and checked here, so an error names the key
//! and lists what may be written.

use crate::export::privlog_profile::{LogProfile, Redactions};
use crate::export::profile::{Encoding, Profile};
use serde::Deserialize;

/// `[load_file]`: how the volume's DAT is written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadFileConfig {
    /// `adrec` (default), `ftc`, `doj` or `sec`.
    #[serde(default)]
    pub profile: Option<String>,
    /// `utf-8-bom` (default), `utf-16le` or `cp1252`.
    #[serde(default)]
    pub encoding: Option<String>,
}

impl LoadFileConfig {
    pub fn profile(&self) -> Profile {
        self.profile
            .as_deref()
            .and_then(Profile::parse)
            .unwrap_or_default()
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
            .as_deref()
            .and_then(Encoding::parse)
            .unwrap_or_default()
    }
}

/// `[privilege_log]`: the shape of the privilege log (the manifest of a
/// volume written under a profile records it).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrivilegeLogConfig {
    /// `itemized` (default), `categorical` or `metadata-only`.
    #[serde(default)]
    pub profile: Option<String>,
    /// `main` (default), `separate` or `none`.
    #[serde(default)]
    pub redactions: Option<String>,
    /// Adds the names legend (every person in AUTHOR and RECIPIENTS).
    #[serde(default)]
    pub names_legend: bool,
}

impl PrivilegeLogConfig {
    pub fn profile(&self) -> LogProfile {
        self.profile
            .as_deref()
            .and_then(LogProfile::parse)
            .unwrap_or_default()
    }

    pub fn redactions(&self) -> Redactions {
        self.redactions
            .as_deref()
            .and_then(Redactions::parse)
            .unwrap_or_default()
    }
}

/// `[[person]]`: someone named in the log, for the names legend.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub attorney: bool,
}

/// `[certification]`: who certifies the record, for the draft declaration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificationConfig {
    /// The official who signs, e.g. "Jane Q. Official".
    #[serde(default)]
    pub declarant: String,
    /// The declarant's title, e.g. "Deputy Chief of Staff".
    #[serde(default)]
    pub title: String,
    /// The agency or component, e.g. "U.S. Department of Homeland Security".
    #[serde(default)]
    pub agency: String,
    /// What the record is the record of, e.g. "the decision to terminate MPP".
    #[serde(default)]
    pub record_description: String,
}

type Bad = (String, String, String);

fn one_of(key: &str, value: &str, names: &[&str]) -> Bad {
    let list = names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let last = key.rsplit('.').next().unwrap_or(key);
    (
        key.to_string(),
        format!("{value:?} is not one of {list}"),
        format!("write {last} = \"{}\" or another of {list}", names[0]),
    )
}

/// Checks the legal blocks; returns (key, problem, what to write) for the
/// first bad value.
pub fn validate(
    load_file: &LoadFileConfig,
    log: &PrivilegeLogConfig,
    persons: &[Person],
) -> Result<(), Bad> {
    if let Some(p) = &load_file.profile
        && Profile::parse(p).is_none()
    {
        return Err(one_of("load_file.profile", p, &Profile::NAMES));
    }
    if let Some(e) = &load_file.encoding
        && Encoding::parse(e).is_none()
    {
        return Err(one_of("load_file.encoding", e, &Encoding::NAMES));
    }
    if let Some(p) = &log.profile
        && LogProfile::parse(p).is_none()
    {
        return Err(one_of("privilege_log.profile", p, &LogProfile::NAMES));
    }
    if let Some(r) = &log.redactions
        && Redactions::parse(r).is_none()
    {
        return Err(one_of("privilege_log.redactions", r, &Redactions::NAMES));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, p) in persons.iter().enumerate() {
        let key = format!("person[{}].name", i + 1);
        if p.name.trim().is_empty() {
            return Err((
                key,
                "is empty".into(),
                "write the name as it appears in AUTHOR or RECIPIENTS, e.g. name = \"Doe, John\""
                    .into(),
            ));
        }
        if !seen.insert(p.name.trim().to_lowercase()) {
            return Err((
                key,
                format!("{:?} is listed twice", p.name),
                "give each person one [[person]] block".into(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::matter::config::{Config, TEMPLATES};
    use std::path::Path;

    /// The commented examples every template documents are valid when a
    /// user uncomments them.
    #[test]
    fn the_documented_blocks_parse_when_uncommented() {
        for (name, _, text) in TEMPLATES {
            let start = text.find("# [load_file]").expect(name);
            let end = text.find("# Where the matter's state lives.").expect(name);
            let block: String = text[start..end]
                .lines()
                .filter_map(|l| l.strip_prefix("# "))
                .filter(|l| {
                    l.starts_with('[')
                        || l.split_once(" = ").is_some_and(|(key, _)| {
                            key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        })
                })
                .map(|l| format!("{l}\n"))
                .collect();
            assert!(block.contains("[certification]"), "{name}");
            let config = Config::parse(&format!("{text}\n{block}"), Path::new(name))
                .unwrap_or_else(|e| panic!("{name}: {e}\n{block}"));
            assert_eq!(config.persons.len(), 1, "{name}");
            assert!(config.persons[0].attorney, "{name}");
            assert!(!config.certification.declarant.is_empty(), "{name}");
        }
    }

    #[test]
    fn a_bad_value_names_the_key_and_the_choices() {
        let text = crate::matter::config::template("generic").expect("generic");
        for (block, key, choice) in [
            (
                "[privilege_log]\nprofile = \"summary\"",
                "privilege_log.profile",
                "\"categorical\"",
            ),
            (
                "[privilege_log]\nredactions = \"inline\"",
                "privilege_log.redactions",
                "\"separate\"",
            ),
            (
                "[load_file]\nencoding = \"utf8\"",
                "load_file.encoding",
                "\"utf-16le\"",
            ),
            ("[[person]]\nname = \" \"", "person[1].name", "name ="),
        ] {
            let err = Config::parse(&format!("{text}\n{block}\n"), Path::new("adrec.toml"))
                .err()
                .unwrap_or_else(|| panic!("{block} was accepted"));
            let shown = format!("{err} {err:?}");
            assert!(
                shown.contains(key) && shown.contains(choice),
                "{block}: {shown}"
            );
        }
    }
}
