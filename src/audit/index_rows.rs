//! Building an index's rows from its records, one record at a time: a
//! reader can hand each record on as it parses it, so a large index is
//! never held as a table of cells beside its rows.

use super::bates::{self, Bates};
use super::columns::{Columns, Field};
use super::read::{Record, Table};
use super::rows::{
    Family, HashCell, HashValue, IndexRow, NOT_A_SHEET, RowNotes, Treatment, bates_of, cell,
    location, looks_like_path, treatment_of,
};
use std::sync::Arc;

/// Index rows of one table, and what was noticed reading them. The table's
/// records are taken out and dropped one by one as their rows are built, so
/// the cells and the rows are not both held whole.
pub fn index_rows(
    table: &mut Table,
    cols: &Columns,
    volume: usize,
    file: &str,
) -> (Vec<IndexRow>, RowNotes) {
    let records = std::mem::take(&mut table.records);
    let mut rows = IndexRows::new(table, cols.clone(), volume, file);
    for record in records {
        rows.push(record);
    }
    let (_, rows, notes) = rows.finish();
    (rows, notes)
}

const LINK_FIELDS: [Field; 4] = [
    Field::NativeLink,
    Field::ImageLink,
    Field::TextLink,
    Field::FilePath,
];
const HASH_FIELDS: [Field; 3] = [Field::ProducedHash, Field::SourceHash, Field::Hash];

/// Builds an index's rows one record at a time, so a reader can hand each
/// record on as it parses it (a DAT of 100,000 rows is never held as a
/// table of cells).
pub struct IndexRows {
    cols: Columns,
    volume: usize,
    file: Arc<str>,
    headers: Vec<Arc<str>>,
    /// The table without records: how it names places and cells.
    shape: Table,
    rows: Vec<IndexRow>,
    unknown: Vec<String>,
    inline: Vec<(Arc<str>, usize)>,
    /// Non-empty text-link cells, and how many of them look like paths.
    text_cells: usize,
    text_paths: usize,
    /// Rows whose text-link cell looks like a path but has spaces: a link,
    /// unless most of the column turns out to be text (known at the end).
    doubtful: Vec<usize>,
}

impl IndexRows {
    pub fn new(table: &Table, cols: Columns, volume: usize, file: &str) -> IndexRows {
        IndexRows {
            cols,
            volume,
            file: Arc::from(file),
            headers: table.headers.iter().map(|h| Arc::from(h.trim())).collect(),
            shape: Table {
                spreadsheet: table.spreadsheet,
                ..Default::default()
            },
            rows: Vec::new(),
            unknown: Vec::new(),
            inline: Vec::new(),
            text_cells: 0,
            text_paths: 0,
            doubtful: Vec::new(),
        }
    }

    /// Room for about `rows` more rows. Only address space until they are
    /// made, and cut to size at the end: an estimate too high (cells holding
    /// line breaks) costs nothing, and one the system refuses is not kept.
    pub fn reserve(&mut self, rows: usize) {
        let _ = self.rows.try_reserve_exact(rows);
    }

    fn header(&self, c: usize) -> Arc<str> {
        self.headers
            .get(c)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    /// Counts a text-link cell that holds the text itself.
    fn inline_text(&mut self, header: Arc<str>, n: usize) {
        match self.inline.iter_mut().find(|(h, _)| *h == header) {
            Some((_, count)) => *count += n,
            None => self.inline.push((header, n)),
        }
    }

    pub fn push(&mut self, record: Record) {
        let (cols, table, record) = (&self.cols, &self.shape, &record);
        let (beg_raw, end_raw) = bates_of(record, cols);
        let (treatment, odd) = treatment_of(record, cols);
        if let Some(odd) = odd {
            self.unknown
                .push(format!("{} ({})", odd, table.place(record.line)));
        }
        let mut links = Vec::new();
        let mut text_cell = None;
        for f in LINK_FIELDS {
            if let Some(c) = cols.get(f) {
                let v = cell(record, Some(c));
                let path = looks_like_path(v);
                if f == Field::TextLink && !v.is_empty() {
                    self.text_cells += 1;
                    self.text_paths += usize::from(path);
                }
                if f == Field::TextLink && !v.is_empty() && !path {
                    text_cell = Some(c);
                } else if !v.is_empty() {
                    // A text column most of whose cells are not paths holds
                    // the text itself: there a cell is a link only when it
                    // looks like a path and has no spaces (`see the 3/4
                    // memo` is text). Which it is is known at the end.
                    if f == Field::TextLink && v.contains(char::is_whitespace) {
                        self.doubtful.push(self.rows.len());
                    }
                    links.push((f, self.header(c), v.to_string()));
                }
            }
        }
        let mut hashes = Vec::new();
        for f in HASH_FIELDS {
            for &c in cols.all(f) {
                let v = cell(record, Some(c));
                if !v.is_empty() {
                    let column = u32::try_from(c)
                        .ok()
                        .filter(|&c| table.spreadsheet && c != NOT_A_SHEET);
                    hashes.push(HashCell {
                        field: f,
                        column: column.unwrap_or(NOT_A_SHEET),
                        header: self.header(c),
                        value: HashValue::new(v),
                    });
                }
            }
        }
        // Pushed one by one, the lists have room for more: a row is kept
        // for the whole audit, so they are cut to size.
        links.shrink_to_fit();
        hashes.shrink_to_fit();
        let (mut beg_attach, mut end_attach) = (
            cell(record, cols.get(Field::BegAttach)).to_string(),
            cell(record, cols.get(Field::EndAttach)).to_string(),
        );
        let family = cell(record, cols.get(Field::FamilyRange));
        if beg_attach.is_empty() && !family.is_empty() {
            (beg_attach, end_attach) = bates::split_range(family);
        }
        let family = Family {
            beg_attach: beg_attach.into(),
            end_attach: end_attach.into(),
            parent: cell(record, cols.get(Field::Parent)).into(),
            attach_ids: cell(record, cols.get(Field::AttachIds))
                .split([';', ',', '\n', '\r'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Box::from)
                .collect(),
        };
        let row = IndexRow {
            family: family.boxed(),
            volume: self.volume,
            location: location(table, &self.file, record, None),
            beg: Bates::parse(&beg_raw),
            end: Bates::parse(&end_raw),
            beg_raw: beg_raw.into(),
            end_raw: end_raw.into(),
            pgcount: cell(record, cols.get(Field::PageCount)).into(),
            control_id: cell(record, cols.get(Field::ControlId)).into(),
            log_id: cell(record, cols.get(Field::LogId)).into(),
            categories: cell(record, cols.get(Field::Category))
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Box::from)
                .collect(),
            treatment: treatment.unwrap_or(Treatment::Produced),
            links,
            hashes,
            malformed: record.malformed,
        };
        if let Some(c) = text_cell {
            let header = self.header(c);
            self.inline_text(header, 1);
        }
        self.rows.push(row);
    }

    /// The columns, the rows and what was noticed.
    pub fn finish(mut self) -> (Columns, Vec<IndexRow>, RowNotes) {
        let inline_column = self.text_paths * 2 < self.text_cells;
        if inline_column && let Some(c) = self.cols.get(Field::TextLink) {
            for &r in &self.doubtful {
                let links = &mut self.rows[r].links;
                links.retain(|(f, _, _)| *f != Field::TextLink);
                links.shrink_to_fit();
            }
            if !self.doubtful.is_empty() {
                let header = self.header(c);
                self.inline_text(header, self.doubtful.len());
            }
        }
        self.rows.shrink_to_fit();
        let notes = RowNotes {
            unknown: self.unknown,
            inline_text: self.inline,
        };
        (self.cols, self.rows, notes)
    }
}
