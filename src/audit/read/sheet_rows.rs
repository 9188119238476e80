//! One sheet's rows as they are stored, for the spreadsheet reader
//! ([`super::xlsx`]): an XLSX sheet cell by cell through calamine's cells
//! reader, never as the box between its first and last cells; an XLS or
//! ODS sheet from calamine's range (bounded by [`crate::sheet_bounds`]).
//! Rows come sparse (the cells that hold something, with their columns),
//! so a cell at column XFD costs one cell, not a row 16,384 wide; the
//! reader decides how many columns to make of them ([`dense`]).

use super::{Problem, column_letters};
use calamine::{Data, Range, Sheets, XlsxCellReader};
use std::io::{Read, Seek};

/// The most columns a spreadsheet has (A to XFD): a cell said to be past
/// them is damage.
pub const MAX_COLUMNS: usize = 16_384;

/// A row's 1-based number and the cells that hold something: (0-based
/// column, text), in column order.
pub type SparseRow = (usize, Vec<(usize, String)>);

/// A sheet's rows that hold a cell, in order.
pub enum SheetRows<'a, RS: Read + Seek> {
    Cells {
        /// Boxed: the reader is large beside a list.
        reader: Box<XlsxCellReader<'a, RS>>,
        /// The first cell of the next row, read ahead.
        pending: Option<(u32, u32, Data)>,
        last_row: Option<u32>,
        /// The reader said the sheet ended (it must not be asked again).
        ended: bool,
    },
    /// XLS and ODS: calamine's range listed at once, with its error cells'
    /// problems to hand on.
    Listed {
        rows: std::vec::IntoIter<SparseRow>,
        problems: Vec<Problem>,
    },
}

impl<'a, RS: Read + Seek> SheetRows<'a, RS> {
    /// The sheet `name`'s rows (calamine is guarded by the caller).
    pub fn open(book: &'a mut Sheets<RS>, name: &str) -> Result<SheetRows<'a, RS>, String> {
        match book {
            Sheets::Xlsx(xlsx) => match xlsx.worksheet_cells_reader(name) {
                Ok(reader) => Ok(SheetRows::Cells {
                    reader: Box::new(reader),
                    pending: None,
                    last_row: None,
                    ended: false,
                }),
                Err(calamine::XlsxError::NotAWorksheet(_)) => Ok(listed(&Range::empty())),
                Err(e) => Err(e.to_string()),
            },
            _ => Ok(listed(&crate::sheet_bounds::worksheet(book, name)?)),
        }
    }

    /// The next row holding a cell, its error cells reported in `problems`
    /// (as empty text).
    pub fn next(&mut self, problems: &mut Vec<Problem>) -> Result<Option<SparseRow>, String> {
        match self {
            SheetRows::Listed {
                rows,
                problems: own,
            } => {
                problems.append(own);
                Ok(rows.next())
            }
            SheetRows::Cells {
                reader,
                pending,
                last_row,
                ended,
            } => {
                let mut row: Option<(u32, Vec<(usize, String)>)> = None;
                loop {
                    let cell = match pending.take() {
                        Some(cell) => Some(cell),
                        None if *ended => None,
                        None => match reader.next_cell().map_err(|e| e.to_string())? {
                            Some(cell) => {
                                let (r, c) = cell.get_position();
                                Some((r, c, Data::from(cell.get_value().clone())))
                            }
                            None => {
                                *ended = true;
                                None
                            }
                        },
                    };
                    let Some((r, c, value)) = cell else {
                        return Ok(row.map(finish));
                    };
                    if value == Data::Empty {
                        continue;
                    }
                    let c = c as usize;
                    if c >= MAX_COLUMNS {
                        return Err(format!(
                            "a cell of row {} lies past column XFD, the last a spreadsheet has: the file is damaged; save it again from your spreadsheet program",
                            u64::from(r) + 1
                        ));
                    }
                    match &mut row {
                        Some((current, _)) if r > *current => {
                            *pending = Some((r, c as u32, value));
                            *last_row = Some(*current);
                            return Ok(row.map(finish));
                        }
                        Some((current, _)) if r < *current => return Err(out_of_order(r)),
                        Some(_) => {}
                        None if last_row.is_some_and(|last| r <= last) => {
                            return Err(out_of_order(r));
                        }
                        None => row = Some((r, Vec::new())),
                    }
                    if let Some((_, cells)) = &mut row {
                        let number = r as usize + 1;
                        cells.push((c, text_of(&value, number, c, problems)));
                    }
                }
            }
        }
    }
}

/// A row read cell by cell, numbered from 1, its cells in column order (a
/// cell given twice keeps its last value).
fn finish((r, mut cells): (u32, Vec<(usize, String)>)) -> SparseRow {
    cells.reverse();
    cells.sort_by_key(|(c, _)| *c);
    cells.dedup_by_key(|(c, _)| *c);
    (r as usize + 1, cells)
}

/// A range's rows that hold a cell, and its error cells' problems.
fn listed<'a, RS: Read + Seek>(range: &Range<Data>) -> SheetRows<'a, RS> {
    let (row0, col0) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let number = row0 + i + 1;
        let cells: Vec<(usize, String)> = row
            .iter()
            .enumerate()
            .filter(|(_, cell)| **cell != Data::Empty)
            .map(|(j, cell)| (col0 + j, text_of(cell, number, col0 + j, &mut problems)))
            .collect();
        if !cells.is_empty() {
            rows.push((number, cells));
        }
    }
    SheetRows::Listed {
        rows: rows.into_iter(),
        problems,
    }
}

fn out_of_order(r: u32) -> String {
    format!(
        "its rows are not stored in order (row {} comes after a later one); save it again from your spreadsheet program",
        u64::from(r) + 1
    )
}

/// A cell as text; an error cell is reported and read as empty.
fn text_of(cell: &Data, row: usize, col: usize, problems: &mut Vec<Problem>) -> String {
    super::xlsx::cell_text(cell).unwrap_or_else(|e| {
        problems.push(Problem::cell(
            row,
            format!("{}{row}", column_letters(col)),
            format!("the cell holds the error {e} instead of a value; it was read as empty"),
        ));
        String::new()
    })
}

/// Whether a row has a value other than blanks.
pub fn has_value(cells: &[(usize, String)]) -> bool {
    cells.iter().any(|(_, t)| !t.trim().is_empty())
}

/// A row's cells as a list, a column each, up to the last cell with text
/// before column `width` (cells past it are left out).
pub fn dense(cells: &[(usize, String)], width: usize) -> Vec<String> {
    let kept = || cells.iter().filter(|(c, t)| *c < width && !t.is_empty());
    let len = kept().map(|(c, _)| c + 1).max().unwrap_or(0);
    let mut row = vec![String::new(); len];
    for (c, text) in kept() {
        if let Some(slot) = row.get_mut(*c) {
            slot.clone_from(text);
        }
    }
    row
}
