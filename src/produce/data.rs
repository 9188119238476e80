//! DATA/ and SHA256SUMS of a volume: the DAT, the image cross-references
//! (OPT, and the IPRO LFP for single-page images), the index and privilege
//! log as CSV and XLSX, the manifest, and the checksum list.

use super::document::write_file;
use super::plan::Plan;
use super::volume::Request;
use crate::error::Error;
use crate::export::dat::{DatLines, Substitution};
use crate::export::lfp::LfpPage;
use crate::export::opt::OptDoc;
use crate::export::privlog_profile::LogSettings;
use crate::export::spill::Spill;
use crate::export::xlsx::{IndexWorkbook, Truncation, XlsxProps};
use crate::export::{IndexRow, PrivLogRow};
use crate::matter::Matter;
use crate::matter::config::{Colour, Images, ProductionConfig};
use crate::model::{Treatment, sha256_hex};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// The image cross-references of a volume, written a document at a time:
/// the OPT, and the LFP (one record per page image) for single-page images.
pub(super) struct CrossRefs {
    opt: Output,
    lfp: Option<Output>,
}

/// One document's OPT lines and LFP records, made where it was written.
#[derive(Default)]
pub(super) struct CrossRefLines {
    opt: String,
    lfp: String,
}

impl CrossRefLines {
    /// The document's OPT lines and, for single-page images, its pages' LFP records.
    pub(super) fn of(doc: &OptDoc, pages: &[LfpPage]) -> Result<CrossRefLines, Error> {
        let mut lines = CrossRefLines::default();
        crate::export::opt::append_opt(doc, &mut lines.opt)
            .map_err(|e| cross_ref_error("OPT", e))?;
        for page in pages {
            crate::export::lfp::append_lfp(&doc.volume, page, &mut lines.lfp)
                .map_err(|e| cross_ref_error("LFP", e))?;
        }
        Ok(lines)
    }
}

/// A DATA/ file being written: its name, path and hashing writer.
struct Output {
    name: String,
    path: std::path::PathBuf,
    file: HashedFile,
}

impl Output {
    fn create(staging: &Path, name: String) -> Result<Output, Error> {
        let path = staging.join("DATA").join(&name);
        let file = HashedFile::create(&path).map_err(|e| Error::io("write", &path, e))?;
        Ok(Output { name, path, file })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.file
            .write_all(bytes)
            .map_err(|e| Error::io("write", &self.path, e))
    }

    /// A workbook that could not be saved into this file: a full disk keeps its words.
    fn saving_error(&self, e: &str) -> Error {
        Error::internal(format!("could not write `{}`: {e}", self.path.display()))
    }

    /// (volume-relative path, SHA-256) for SHA256SUMS.
    fn finish(self) -> Result<(String, String), Error> {
        let sha = self
            .file
            .finish()
            .map_err(|e| Error::io("write", &self.path, e))?;
        Ok((format!("DATA/{}", self.name), sha))
    }
}

/// The OPT and LFP are adrec's own output: a failure is adrec's, never the input's.
fn cross_ref_error(what: &str, e: crate::export::OptError) -> Error {
    Error::internal(format!("could not write the {what}: {e}"))
        .hint("nothing was recorded; please report this as a bug")
}

impl CrossRefs {
    pub(super) fn create(staging: &Path, volume: &str, single_pages: bool) -> Result<Self, Error> {
        Ok(CrossRefs {
            opt: Output::create(staging, format!("{volume}.opt"))?,
            lfp: if single_pages {
                Some(Output::create(staging, format!("{volume}.lfp"))?)
            } else {
                None
            },
        })
    }

    /// Appends a document's lines, in Bates order.
    pub(super) fn push(&mut self, lines: &CrossRefLines) -> Result<(), Error> {
        self.opt.write(lines.opt.as_bytes())?;
        if let Some(lfp) = &mut self.lfp {
            lfp.write(lines.lfp.as_bytes())?;
        }
        Ok(())
    }

    /// The files written, for SHA256SUMS.
    pub(super) fn finish(self) -> Result<Vec<(String, String)>, Error> {
        let mut files = vec![self.opt.finish()?];
        if let Some(lfp) = self.lfp {
            files.push(lfp.finish()?);
        }
        Ok(files)
    }
}

/// The DAT and the index CSV, written as the documents are: each
/// document's lines are made where it is written, in parallel, and
/// appended here in Bates order.
pub(super) struct IndexFiles {
    dat: Output,
    csv: Output,
    substitutions: Vec<Substitution>,
}

/// (volume-relative path, SHA-256) of files written.
type FileHashes = Vec<(String, String)>;

/// One document's DAT line (none for a withheld document that is only
/// logged) and index CSV record, and what its DAT line had to change.
pub(super) struct IndexLines {
    dat: Option<Vec<u8>>,
    csv: Vec<u8>,
    substitutions: Vec<Substitution>,
}

impl IndexLines {
    pub(super) fn of(row: &IndexRow, dat: &DatLines) -> Result<IndexLines, Error> {
        let (line, substitutions) = match row.pgcount {
            Some(_) => {
                let (line, subs) = dat
                    .row(row)
                    .map_err(|bad| super::loadfile::unencodable_error(&bad, dat.encoding()))?;
                (Some(line), subs)
            }
            None => (None, Vec::new()),
        };
        Ok(IndexLines {
            dat: line,
            csv: crate::export::csv::record_bytes(row.values()).map_err(Error::internal)?,
            substitutions,
        })
    }
}

impl IndexFiles {
    /// The two files, each begun with its BOM and header.
    pub(super) fn create(staging: &Path, volume: &str, dat: &DatLines) -> Result<Self, Error> {
        let mut files = IndexFiles {
            dat: Output::create(staging, format!("{volume}.dat"))?,
            csv: Output::create(staging, format!("{volume}_index.csv"))?,
            substitutions: Vec::new(),
        };
        files.dat.write(&dat.header())?;
        let header = crate::export::csv::header_bytes(&crate::export::row::INDEX_COLUMNS)
            .map_err(Error::internal)?;
        files.csv.write(&header)?;
        Ok(files)
    }

    /// Appends a document's lines, in Bates order.
    pub(super) fn push(&mut self, lines: IndexLines) -> Result<(), Error> {
        if let Some(line) = &lines.dat {
            self.dat.write(line)?;
        }
        self.csv.write(&lines.csv)?;
        self.substitutions.extend(lines.substitutions);
        Ok(())
    }

    /// The files written (for SHA256SUMS) and the DAT's substitutions.
    pub(super) fn finish(self) -> Result<(FileHashes, Vec<Substitution>), Error> {
        Ok((
            vec![self.dat.finish()?, self.csv.finish()?],
            self.substitutions,
        ))
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    volume: &'a str,
    title: &'a str,
    date: String,
    caption: &'a str,
    case_number: &'a str,
    court: &'a str,
    producing_party: &'a str,
    first_bates: Option<&'a str>,
    last_bates: Option<&'a str>,
    documents: usize,
    produced: usize,
    redacted: usize,
    withheld: usize,
    duplicates_not_produced: usize,
    pages: &'a super::plan::Pages,
    dat_encoding: &'a str,
    /// The DAT's column names, when not adrec's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    dat_profile: Option<&'a str>,
    /// The privilege log's shape, when not the itemized log with redactions on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    privilege_log: Option<&'a crate::matter::config::PrivilegeLogConfig>,
    image_format: &'a str,
    /// An overlay volume: the volumes whose rows it replaces, and the ranges.
    #[serde(skip_serializing_if = "Option::is_none")]
    overlay_of: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replaced: Option<&'a [super::overlay::Replaced]>,
    adrec_version: &'a str,
}

/// What writing DATA/ reports: DAT substitutions, XLSX cuts, and the files
/// written with their SHA-256.
pub(super) struct DataFiles {
    pub(super) substitutions: Vec<String>,
    pub(super) truncations: Vec<String>,
    pub(super) files: Vec<(String, String)>,
}

/// The properties of a volume's workbooks.
pub(super) fn xlsx_props(req: &Request<'_>, sheet: &str) -> XlsxProps {
    XlsxProps {
        title: req.title.to_string(),
        date: req.date,
        sheet_name: sheet.to_string(),
    }
}

/// DATA/: DAT, OPT, index and privilege log (CSV, XLSX), manifest.
/// Returns the DAT substitutions and XLSX truncations to report.
pub(super) fn write_data(
    staging: &Path,
    plan: &Plan,
    req: &Request<'_>,
    matter: &Matter,
    (workbook, privlog): (IndexWorkbook, &Spill<PrivLogRow>),
    substitutions: &[Substitution],
) -> Result<DataFiles, Error> {
    let data = staging.join("DATA");
    let files = std::cell::RefCell::new(Vec::new());
    let put = |name: String, bytes: &[u8]| {
        files
            .borrow_mut()
            .push((format!("DATA/{name}"), sha256_hex(bytes)));
        write_file(&data.join(&name), bytes)
    };
    let load_file = &matter.config.load_file;
    // The DAT, the CSV and the workbook's rows were written with the
    // documents (`IndexFiles`, `IndexWorkbook`): the workbook is saved here,
    // straight to its file.
    let mut xlsx = Output::create(staging, format!("{}_index.xlsx", req.name))?;
    let index_cuts = workbook
        .finish_into(&mut xlsx.file)
        .map_err(|e| xlsx.saving_error(&e))?;
    files.borrow_mut().push(xlsx.finish()?);
    let props = xlsx_props(req, "Privilege log");
    let settings = LogSettings::from_config(&matter.config);
    let (written, log_cuts) = write_log(staging, req.name, privlog, &settings, &props)?;
    files.borrow_mut().extend(written);
    let m = &matter.config.matter;
    let count = |t: Treatment| plan.documents.iter().filter(|p| p.treatment == t).count();
    let manifest = Manifest {
        volume: req.name,
        title: req.title,
        date: req.date.to_string(),
        caption: &m.caption,
        case_number: &m.case_number,
        court: &m.court,
        producing_party: &m.producing_party,
        first_bates: plan.first_bates.as_deref(),
        last_bates: plan.last_bates.as_deref(),
        documents: plan.documents.len(),
        produced: count(Treatment::Produced),
        redacted: count(Treatment::Redacted),
        withheld: count(Treatment::Withheld),
        duplicates_not_produced: plan.duplicates.len(),
        pages: &plan.pages,
        dat_encoding: load_file.encoding().label(),
        dat_profile: Some(load_file.profile().name()).filter(|p| *p != "adrec"),
        privilege_log: Some(&matter.config.privilege_log).filter(|_| !settings.is_default()),
        image_format: image_format(&matter.config.production),
        overlay_of: req.overlay.map(|o| o.of.as_slice()),
        replaced: req.overlay.map(|o| o.replaced.as_slice()),
        adrec_version: env!("CARGO_PKG_VERSION"),
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::internal(e.to_string()))?;
    put(format!("{}_manifest.json", req.name), &json)?;
    let subs = substitutions
        .iter()
        .map(|s| format!("{} {}: {}", s.control_id, s.column, s.character))
        .collect();
    let cuts = index_cuts
        .iter()
        .chain(&log_cuts)
        .map(|t| format!("{} {}", t.control_id, t.column))
        .collect();
    Ok(DataFiles {
        substitutions: subs,
        truncations: cuts,
        files: files.into_inner(),
    })
}

/// The privilege log under its profile (`[privilege_log]`) as CSV and
/// XLSX, each file written as the spilled rows are read back
/// (`LogWriter`): an itemized log is never held in memory however many
/// documents it withholds, a categorical one only as its entries' cells.
fn write_log(
    staging: &Path,
    volume: &str,
    rows: &Spill<PrivLogRow>,
    settings: &LogSettings,
    props: &XlsxProps,
) -> Result<(FileHashes, Vec<Truncation>), Error> {
    use crate::export::privlog_render::{LogFormat, LogWriter, Unread};
    // A spilled row that does not read back is reported in its own words.
    let unread = Unread::default();
    let source = || unread.source(rows.rows());
    let log = LogWriter::new(settings, &source).map_err(|e| unread.or(Error::internal(e)))?;
    let mut written = Vec::new();
    let mut cuts = Vec::new();
    for format in [LogFormat::Csv, LogFormat::Xlsx] {
        for file in log.files(format) {
            let name = format!("{volume}_{}.{}", file.suffix(), format.extension());
            let mut out = Output::create(staging, name)?;
            let cut = log
                .write(file, format, props, &mut out.file)
                .map_err(|e| unread.or(out.saving_error(&e)))?;
            cuts.extend(cut);
            written.push(out.finish()?);
        }
    }
    Ok((written, cuts))
}

/// A file of the staging folder written as it is made, its SHA-256 taken on
/// the way.
struct HashedFile {
    file: std::io::BufWriter<std::fs::File>,
    sha: sha2::Sha256,
}

impl HashedFile {
    fn create(path: &Path) -> std::io::Result<HashedFile> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(HashedFile {
            file: std::io::BufWriter::new(std::fs::File::create(path)?),
            sha: sha2::Sha256::default(),
        })
    }

    /// Flushes the file; its SHA-256 in hex.
    fn finish(mut self) -> std::io::Result<String> {
        use sha2::Digest;
        self.file.flush()?;
        Ok(crate::model::hex(&self.sha.finalize()))
    }
}

impl std::io::Write for HashedFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.file.write(buf)?;
        self.sha.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// What the manifest and the produce summary say about the images.
pub fn image_format(production: &ProductionConfig) -> &'static str {
    match (production.images, production.colour) {
        (Images::Pdf, _) => {
            "multi-page PDF per document with an Opticon OPT (RelativityOne); set [production] images = \"tiff\" for the single-page images Relativity Server and Concordance Image load"
        }
        (Images::Tiff, Colour::Auto) => {
            "single-page images per Bates page at 300 dpi: CCITT Group IV TIFF, JPEG for pages with colour, with an Opticon OPT and an IPRO LFP (Relativity Server, Concordance Image)"
        }
        (Images::Tiff, Colour::Never) => {
            "single-page images per Bates page at 300 dpi: CCITT Group IV TIFF for every page (colour = \"never\"), with an Opticon OPT and an IPRO LFP (Relativity Server, Concordance Image)"
        }
    }
}
