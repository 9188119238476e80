//! The court-ordered categories to expect: a CSV/XLSX with `id` and `name`
//! columns, or an `adrec.toml` with `[[category]]` tables.

use super::super::columns::normalise;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: String,
    pub name: String,
}

fn from_toml(text: &str) -> Result<Vec<Category>, String> {
    let value: toml::Table = toml::from_str(text).map_err(|e| format!("not valid TOML: {e}"))?;
    let list = value
        .get("category")
        .and_then(|v| v.as_array())
        .ok_or("it has no [[category]] tables")?;
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let id = match item.get("id") {
            Some(toml::Value::String(s)) => s.clone(),
            Some(toml::Value::Integer(n)) => n.to_string(),
            _ => return Err(format!("[[category]] number {} has no `id`", i + 1)),
        };
        let name = item
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        out.push(Category { id, name });
    }
    Ok(out)
}

/// Reads the categories file; the error says what is wrong with it.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Vec<Category>, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let categories = if ext == "toml" {
        from_toml(&String::from_utf8_lossy(bytes))?
    } else {
        let table = match ext.as_str() {
            "xlsx" | "xlsm" | "xls" | "ods" => super::xlsx::read(bytes)?,
            _ => super::csv::read(bytes)?,
        };
        let find = |names: &[&str]| {
            table
                .headers
                .iter()
                .position(|h| names.contains(&normalise(h).as_str()))
        };
        let id = find(&[
            "ID",
            "CATEGORYID",
            "CATEGORY",
            "NUMBER",
            "NO",
            "CODE",
            "CAT",
            "CATEGORYNO",
        ])
        .ok_or("it has no `id` column (the header row needs `id` and `name`)")?;
        let name = find(&["NAME", "CATEGORYNAME", "TITLE", "DESCRIPTION", "LABEL"]);
        table
            .records
            .iter()
            .filter(|r| r.cells.get(id).is_some_and(|c| !c.trim().is_empty()))
            .map(|r| Category {
                id: r.cells[id].trim().to_string(),
                name: name
                    .and_then(|n| r.cells.get(n))
                    .map_or(String::new(), |s| s.trim().to_string()),
            })
            .collect()
    };
    if categories.is_empty() {
        return Err("it lists no categories".into());
    }
    Ok(categories)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_csv() {
        let t = "[matter]\ncaption='x'\n[[category]]\nid = \"1\"\nname = \"Mexico\"\n[[category]]\nid = 2\nname = \"White House\"\n";
        let c = read(Path::new("adrec.toml"), t.as_bytes()).unwrap();
        assert_eq!(
            c[1],
            Category {
                id: "2".into(),
                name: "White House".into()
            }
        );
        let c = read(Path::new("c.csv"), b"id,name\r\n1,Mexico\r\n2,DOJ\r\n").unwrap();
        assert_eq!(c.len(), 2);
        assert!(read(Path::new("c.csv"), b"foo,bar\r\n1,2\r\n").is_err());
    }
}
