//! Which privileges and protections a log entry may assert: a built-in list
//! (names and usual abbreviations), the `[[privilege]]` tables of an
//! `adrec.toml` given with `--categories`, and the rows of `--privileges F`.
//! "Privileged", "Confidential" or "Proprietary" alone are no basis.

use super::columns::normalise;
use std::path::Path;

/// Phrases that name a privilege, lower case, words separated by one space.
const NAMES: &[&str] = &[
    "attorney client",
    "atty client",
    "attorney and client",
    "lawyer client",
    "solicitor client",
    "work product",
    "work product doctrine",
    "deliberative",
    "predecisional",
    "pre decisional",
    "presidential communication",
    "law enforcement",
    "investigatory file",
    "investigatory record",
    "state secret",
    "military and state secret",
    "common interest",
    "joint defense",
    "joint defence",
    "joint prosecution",
    "exemption 5",
    "exemption b 5",
    "exemption b5",
    "552 b 5",
    "foia 5",
];

/// Abbreviations, matched as whole words (upper case).
const CODES: &[&str] = &[
    "AC",
    "ACP",
    "ACPRIV",
    "AWP",
    "WP",
    "ACWP",
    "DP",
    "DPP",
    "PCP",
    "PC",
    "LE",
    "LEP",
    "SS",
    "SSP",
    "CI",
    "CIP",
    "JD",
    "JDP",
    "B5",
    "EX5",
    "EXEMPTION5",
];

/// Words, lower case, split on anything not a letter or digit.
fn words(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The privileges the matter adds to the built-in list: (code, name).
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub extra: Vec<(String, String)>,
}

impl Known {
    /// Whether `asserted` names at least one recognised privilege.
    pub fn recognises(&self, asserted: &str) -> bool {
        let text = format!(" {} ", words(asserted));
        // A phrase starts at a word: `communication` also finds `communications`.
        let has = |phrase: &str| !phrase.is_empty() && text.contains(&format!(" {phrase}"));
        // `A/C`, `(b)(5)`, `Ex. 5` come apart into short words.
        let squeezed: Vec<String> = words(asserted).split(' ').map(str::to_uppercase).collect();
        let code = |c: &str| {
            let c = normalise(c);
            !c.is_empty()
                && (squeezed.contains(&c)
                    || squeezed
                        .windows(2)
                        .any(|w| format!("{}{}", w[0], w[1]) == c))
        };
        NAMES.iter().any(|n| has(n))
            || CODES.iter().any(|c| code(c))
            || self.extra.iter().any(|(c, n)| code(c) || has(&words(n)))
    }
}

/// `[[privilege]]` tables of an adrec.toml: (code, name).
pub fn from_toml(text: &str) -> Result<Vec<(String, String)>, String> {
    let value: toml::Table = toml::from_str(text).map_err(|e| format!("not valid TOML: {e}"))?;
    let Some(list) = value.get("privilege").and_then(|v| v.as_array()) else {
        return Ok(Vec::new());
    };
    Ok(list
        .iter()
        .map(|item| {
            let s = |k: &str| {
                item.get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            (s("code"), s("name"))
        })
        .filter(|(c, n)| !c.is_empty() || !n.is_empty())
        .collect())
}

/// `--privileges F`: a CSV/XLSX with `code` and `name` columns, or an adrec.toml.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ext == "toml" {
        let list = from_toml(&String::from_utf8_lossy(bytes))?;
        return if list.is_empty() {
            Err("it has no [[privilege]] tables".into())
        } else {
            Ok(list)
        };
    }
    let table = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => super::read::xlsx::read(bytes)?,
        _ => super::read::csv::read(bytes)?,
    };
    let find = |names: &[&str]| {
        table
            .headers
            .iter()
            .position(|h| names.contains(&normalise(h).as_str()))
    };
    let code = find(&["CODE", "PRIVILEGECODE", "ABBREVIATION", "ID"]);
    let name = find(&["NAME", "PRIVILEGE", "PRIVILEGENAME", "DESCRIPTION"]);
    if code.is_none() && name.is_none() {
        return Err("it has no `code` or `name` column".into());
    }
    let cell = |r: &super::read::Record, c: Option<usize>| {
        c.and_then(|c| r.cells.get(c))
            .map_or(String::new(), |v| v.trim().to_string())
    };
    let list: Vec<(String, String)> = table
        .records
        .iter()
        .map(|r| (cell(r, code), cell(r, name)))
        .filter(|(c, n)| !c.is_empty() || !n.is_empty())
        .collect();
    if list.is_empty() {
        return Err("it lists no privileges".into());
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_names_and_codes() {
        let k = Known::default();
        for ok in [
            "Attorney-Client Privilege",
            "AC/WP",
            "Attorney Work Product",
            "Deliberative Process Privilege",
            "DPP",
            "Presidential communications privilege",
            "Law enforcement privilege",
            "FOIA Exemption 5",
            "Exemption (b)(5)",
            "5 U.S.C. § 552(b)(5)",
            "A/C",
            "Common interest; joint defense",
        ] {
            assert!(k.recognises(ok), "{ok}");
        }
        for no in [
            "Privileged",
            "Confidential",
            "Proprietary",
            "Privileged and Confidential",
            "Sensitive",
            "PII",
        ] {
            assert!(!k.recognises(no), "{no}");
        }
        let k = Known {
            extra: vec![("TAX".into(), "Taxpayer information (26 U.S.C. 6103)".into())],
        };
        assert!(k.recognises("TAX"));
        assert!(k.recognises("Taxpayer information (26 U.S.C. 6103)"));
    }

    #[test]
    fn matter_privileges_from_toml_and_csv() {
        let t = "[[privilege]]\ncode = \"DP\"\nname = \"Deliberative process privilege\"\n";
        assert_eq!(
            from_toml(t).unwrap(),
            vec![("DP".into(), "Deliberative process privilege".into())]
        );
        let c = read(
            Path::new("p.csv"),
            b"code,name\r\nTAX,Taxpayer information\r\n",
        )
        .unwrap();
        assert_eq!(c, vec![("TAX".into(), "Taxpayer information".into())]);
        assert!(read(Path::new("p.csv"), b"foo,bar\r\n1,2\r\n").is_err());
    }
}
