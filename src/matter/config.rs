//! `adrec.toml`: parsed with serde (unknown keys refused), then validated so
//! every error names the key and says what to write instead.

pub use super::config_legal::{CertificationConfig, LoadFileConfig, Person, PrivilegeLogConfig};
use crate::error::Error;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub matter: MatterInfo,
    pub bates: BatesConfig,
    #[serde(default)]
    pub production: ProductionConfig,
    #[serde(default)]
    pub confidentiality: Confidentiality,
    #[serde(default, rename = "category")]
    pub categories: Vec<Category>,
    #[serde(default, rename = "privilege")]
    pub privileges: Vec<Privilege>,
    #[serde(default, rename = "deadline")]
    pub deadlines: Vec<Deadline>,
    /// Where the matter's state lives when not in `.adrec/adrec.db`.
    #[serde(default)]
    pub database: Option<DatabaseConfig>,
    /// Where stamps go: `[stamp] placement = "strip"`.
    #[serde(default)]
    pub stamp: StampConfig,
    /// The DAT's column names and encoding.
    #[serde(default)]
    pub load_file: LoadFileConfig,
    /// The privilege log's shape.
    #[serde(default)]
    pub privilege_log: PrivilegeLogConfig,
    /// People named in the log, for the names legend.
    #[serde(default, rename = "person")]
    pub persons: Vec<Person>,
    /// The certifying declaration's declarant and record.
    #[serde(default)]
    pub certification: CertificationConfig,
}

/// `[database]`: a shared PostgreSQL server instead of the embedded file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `postgres://HOST/DATABASE`, never with a password.
    pub url: String,
}

/// The `[database]` block `init --database` and `migrate-to-postgres` write.
pub fn database_block(url: &str) -> String {
    let quoted = toml::Value::String(url.to_string()).to_string();
    format!(
        "\n# The matter's state lives on a shared PostgreSQL server (the password\n# comes from PGPASSWORD, ~/.pgpass or a service file, never from here).\n[database]\nurl = {quoted}\n"
    )
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StampConfig {
    #[serde(default)]
    pub placement: Placement,
}

/// `inside`: on the page, at the bottom of its visible box (a page under 2
/// inches on a side still gets a strip); `strip`: every page gets a white
/// strip added below its visible box carrying the stamp.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    #[default]
    Inside,
    Strip,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatterInfo {
    pub caption: String,
    pub case_number: String,
    pub court: String,
    pub producing_party: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatesConfig {
    pub prefix: String,
    pub width: u32,
    pub start: u64,
    #[serde(default)]
    pub withheld: WithheldMode,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WithheldMode {
    #[default]
    Slipsheet,
    LogOnly,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductionConfig {
    #[serde(default)]
    pub dedupe: Dedupe,
    /// Page images: multi-page PDFs, or single-page TIFF/JPEG per Bates page.
    #[serde(default)]
    pub images: Images,
    /// With `images = "tiff"`: whether colour pages go out as JPEG.
    #[serde(default)]
    pub colour: Colour,
    /// Which members of a selected e-mail family go out.
    #[serde(default)]
    pub families: Families,
    /// Whether a rendered e-mail's native also goes out (in NATIVES/).
    #[serde(default)]
    pub email_natives: bool,
}

/// `[production] families`: `whole` (a family with any selected member goes
/// out whole) or `responsive-only` (only members tagged produce, redact or
/// withhold).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Families {
    #[default]
    Whole,
    ResponsiveOnly,
}

/// `[production] images`: `pdf` (one stamped PDF per document, for
/// RelativityOne) or `tiff` (one 300-dpi image per Bates page, for
/// Relativity Server and Concordance Image).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Images {
    #[default]
    Pdf,
    Tiff,
}

/// `[production] colour`: `auto` writes a page with colour as JPEG, `never`
/// writes every page as a black-and-white Group IV TIFF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Colour {
    #[default]
    Auto,
    Never,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dedupe {
    #[default]
    Global,
    Custodian,
    None,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confidentiality {
    #[serde(default)]
    pub default: String,
    #[serde(default, rename = "level")]
    pub levels: Vec<ConfidentialityLevel>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfidentialityLevel {
    pub name: String,
    pub legend: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privilege {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub name: String,
    pub date: String,
}

impl Deadline {
    /// The validated date (validation guarantees it parses).
    pub fn civil_date(&self) -> Option<jiff::civil::Date> {
        self.date.parse().ok()
    }
}

impl Config {
    /// Reads and validates `path`.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::input(format!("could not read `{}`: {e}", path.display()))
                .hint("run `adrec init` to create a matter, or pass `--matter DIR`")
        })?;
        Config::parse(&text, path)
    }

    /// Parses and validates configuration text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        let config: Config = toml::from_str(text).map_err(|e| {
            Error::input(format!("`{}` is not a valid adrec configuration: {}", path.display(), e.to_string().trim_end()))
                .hint("every key is documented in the templates; compare with `adrec init --template generic` in an empty folder")
        })?;
        config.validate().map_err(|(key, problem, fix)| {
            Error::input(format!("`{}`: {key}: {problem}", path.display())).hint(fix)
        })?;
        if let Some(db) = &config.database {
            super::postgres::check_url(&db.url).map_err(|e| {
                let hint = match &e {
                    Error::Input { hint, .. } => hint.clone().unwrap_or_default(),
                    _ => String::new(),
                };
                Error::input(format!("`{}`: database.url: {e}", path.display())).hint(hint)
            })?;
        }
        Ok(config)
    }

    /// Returns (key, problem, what to write instead) for the first bad value.
    fn validate(&self) -> Result<(), (String, String, String)> {
        let bad = |key: &str, problem: String, fix: &str| {
            Err((key.to_string(), problem, fix.to_string()))
        };
        validate_prefix(&self.bates.prefix).map_err(|problem| {
            (
                "bates.prefix".to_string(),
                problem,
                "use ASCII letters, digits, '-' or '_' only, e.g. prefix = \"DHS-MPP-\""
                    .to_string(),
            )
        })?;
        if !(1..=12).contains(&self.bates.width) {
            return bad(
                "bates.width",
                format!("{} is out of range", self.bates.width),
                "use a width between 1 and 12, e.g. width = 6",
            );
        }
        if self.bates.start.to_string().len() > self.bates.width as usize {
            return bad(
                "bates.start",
                format!(
                    "{} does not fit in {} digits",
                    self.bates.start, self.bates.width
                ),
                "lower `start` or raise `width`",
            );
        }
        let mut seen = std::collections::HashSet::new();
        for (i, c) in self.categories.iter().enumerate() {
            let key = format!("category[{}].id", i + 1);
            if c.id.trim().is_empty() || c.id.trim() != c.id || c.id.contains(';') {
                return bad(
                    &key,
                    format!("{:?} is not a usable id", c.id),
                    "use a short id without spaces at the ends or ';', e.g. id = \"1\"",
                );
            }
            if !seen.insert(c.id.to_lowercase()) {
                return bad(
                    &key,
                    format!("category id {:?} is used twice", c.id),
                    "give each [[category]] its own id",
                );
            }
            if c.name.trim().is_empty() {
                return bad(
                    &format!("category[{}].name", i + 1),
                    "is empty".into(),
                    "name the category as the court's order does",
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, p) in self.privileges.iter().enumerate() {
            let key = format!("privilege[{}].code", i + 1);
            if p.code.trim().is_empty() || p.code.trim() != p.code || p.code.contains(';') {
                return bad(
                    &key,
                    format!("{:?} is not a usable code", p.code),
                    "use a short code such as \"DP\"",
                );
            }
            if !seen.insert(p.code.to_lowercase()) {
                return bad(
                    &key,
                    format!("privilege code {:?} is used twice", p.code),
                    "give each [[privilege]] its own code",
                );
            }
            if p.name.trim().is_empty() {
                return bad(
                    &format!("privilege[{}].name", i + 1),
                    "is empty".into(),
                    "write the privilege's full name, e.g. \"Deliberative process privilege\"",
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, level) in self.confidentiality.levels.iter().enumerate() {
            if level.name.trim().is_empty() || !seen.insert(level.name.to_lowercase()) {
                return bad(
                    &format!("confidentiality.level[{}].name", i + 1),
                    format!("{:?} is empty or used twice", level.name),
                    "give each level its own name, e.g. \"CONFIDENTIAL\"",
                );
            }
        }
        let default = &self.confidentiality.default;
        if !default.is_empty() && self.level(default).is_none() {
            return bad(
                "confidentiality.default",
                format!("{default:?} is not a [[confidentiality.level]] name"),
                "use \"\" (no legend) or the name of a level defined below it",
            );
        }
        for (i, d) in self.deadlines.iter().enumerate() {
            if d.date.parse::<jiff::civil::Date>().is_err() || d.date.len() != 10 {
                return bad(
                    &format!("deadline[{}].date", i + 1),
                    format!("{:?} is not a date", d.date),
                    "write the date as \"YYYY-MM-DD\", e.g. date = \"2024-04-19\"",
                );
            }
        }
        super::config_legal::validate(&self.load_file, &self.privilege_log, &self.persons)
    }

    /// Refuses a document filter naming a category, privilege or level that
    /// `adrec.toml` does not define, with the names it does.
    pub fn check_filter(&self, filter: &crate::model::DocFilter) -> Result<(), Error> {
        let unknown = |what: &str, value: &str, known: Vec<&str>| {
            Error::input(format!("there is no {what} {value:?} in adrec.toml"))
                .hint(format!("use one of: {}", known.join(", ")))
        };
        if let Some(c) = &filter.category
            && self.category(c).is_none()
        {
            let known = self.categories.iter().map(|c| c.id.as_str()).collect();
            return Err(unknown("category", c, known));
        }
        if let Some(p) = &filter.privilege
            && self.privilege(p).is_none()
        {
            let known = self.privileges.iter().map(|p| p.code.as_str()).collect();
            return Err(unknown("privilege code", p, known));
        }
        if let Some(l) = &filter.confidentiality
            && !l.eq_ignore_ascii_case("none")
            && self.level(l).is_none()
        {
            let mut known = vec!["none"];
            known.extend(self.confidentiality.levels.iter().map(|l| l.name.as_str()));
            return Err(unknown("confidentiality level", l, known));
        }
        Ok(())
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(id.trim()))
    }

    pub fn privilege(&self, code: &str) -> Option<&Privilege> {
        self.privileges
            .iter()
            .find(|p| p.code.eq_ignore_ascii_case(code.trim()))
    }

    pub fn level(&self, name: &str) -> Option<&ConfidentialityLevel> {
        self.confidentiality
            .levels
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name.trim()))
    }
}

/// A Bates prefix: ASCII letters, digits, '-' and '_' only.
pub fn validate_prefix(prefix: &str) -> Result<(), String> {
    if prefix.is_empty() {
        return Err("is empty".into());
    }
    if prefix.len() > 24 {
        return Err(format!("{prefix:?} is longer than 24 characters"));
    }
    for c in prefix.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            continue;
        }
        let what = match c {
            ' ' => "a space".to_string(),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => {
                format!(
                    "{c:?} (U+{:04X}), a dash that is not the ASCII hyphen-minus '-'",
                    c as u32
                )
            }
            _ => format!("{c:?} (U+{:04X})", c as u32),
        };
        return Err(format!(
            "{prefix:?} contains {what}; review platforms will not match it"
        ));
    }
    Ok(())
}

/// The bundled templates, built into the binary.
pub const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "generic",
        "one catch-all category, attorney-client and deliberative process",
        include_str!("../../templates/generic.toml"),
    ),
    (
        "apa-record",
        "an APA administrative record with the usual agency privileges (AC, WP, DP, LE, PC)",
        include_str!("../../templates/apa-record.toml"),
    ),
    (
        "mpp-order",
        "the five court-ordered MPP categories, agency privileges and the order's deadlines",
        include_str!("../../templates/mpp-order.toml"),
    ),
];

pub fn template(name: &str) -> Option<&'static str> {
    TEMPLATES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_valid() {
        for (name, _, text) in TEMPLATES {
            Config::parse(text, Path::new(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn mpp_template_has_five_categories_and_three_deadlines() {
        let c = Config::parse(template("mpp-order").unwrap(), Path::new("x")).unwrap();
        assert_eq!(c.categories.len(), 5);
        assert_eq!(
            c.deadlines
                .iter()
                .map(|d| d.date.as_str())
                .collect::<Vec<_>>(),
            ["2023-12-01", "2023-12-15", "2024-04-19"]
        );
        for code in ["AC", "WP", "DP", "LE", "PC"] {
            assert!(c.privilege(code).is_some(), "{code}");
        }
    }

    #[test]
    fn prefix_rules() {
        assert!(validate_prefix("DHS-MPP-").is_ok());
        assert!(validate_prefix("ABC_1").is_ok());
        assert!(validate_prefix("DHS MPP").unwrap_err().contains("a space"));
        assert!(
            validate_prefix("DHS\u{2013}MPP")
                .unwrap_err()
                .contains("U+2013")
        );
        assert!(validate_prefix("").is_err());
    }
}
