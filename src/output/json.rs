//! A JSON array written an element at a time.

use std::io::Write;

/// Writes a JSON array an element at a time, byte for byte as
/// [`print_json`](super::print_json) writes the whole array: a listing of a
/// whole matter never holds it.
#[derive(Default)]
pub struct JsonArray {
    written: usize,
}

impl JsonArray {
    /// Writes one element, indented as an element of a pretty array.
    pub fn push<T: serde::Serialize>(
        &mut self,
        out: &mut impl Write,
        item: &T,
    ) -> Result<(), String> {
        let text =
            serde_json::to_string_pretty(item).map_err(|e| format!("could not write JSON: {e}"))?;
        let mut bytes = Vec::with_capacity(text.len() + text.len() / 8 + 4);
        bytes.extend_from_slice(if self.written == 0 { b"[\n" } else { b",\n" });
        // A pretty element has no line feed but between its lines (one in a
        // string is written `\n`), so indenting each line nests it.
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                bytes.push(b'\n');
            }
            bytes.extend_from_slice(b"  ");
            bytes.extend_from_slice(line.as_bytes());
        }
        out.write_all(&bytes).map_err(|e| e.to_string())?;
        self.written += 1;
        Ok(())
    }

    /// Closes the array (`[]` when it has no element) and ends the line.
    pub fn finish(self, out: &mut impl Write) -> Result<(), String> {
        let end: &[u8] = if self.written == 0 { b"[]\n" } else { b"\n]\n" };
        out.write_all(end).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_array_written_an_element_at_a_time_is_the_array_written_whole() {
        let items = [
            json!({"a": 1, "list": [1, [2, {}]], "empty": [], "none": {}, "text": "two\nlines"}),
            json!("plain"),
            json!({"nested": {"deeper": {"deepest": [true, null]}}}),
        ];
        for n in 0..=items.len() {
            let whole = serde_json::to_string_pretty(&items[..n].to_vec()).unwrap() + "\n";
            let mut array = JsonArray::default();
            let mut out = Vec::new();
            for item in &items[..n] {
                array.push(&mut out, item).unwrap();
            }
            array.finish(&mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole, "{n} element(s)");
        }
    }
}
