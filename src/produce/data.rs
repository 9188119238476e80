//! DATA/ and SHA256SUMS of a volume: the DAT, the image cross-references
//! (OPT, and the IPRO LFP for single-page images), the index and privilege
//! log as CSV and XLSX, the manifest, and the checksum list.

use super::plan::Plan;
use super::volume::{Request, write_file};
use crate::error::Error;
use crate::export::dat::DatError;
use crate::export::lfp::LfpPage;
use crate::export::opt::OptDoc;
use crate::export::privlog_profile::LogSettings;
use crate::export::{IndexRow, PrivLogRow};
use crate::matter::Matter;
use crate::matter::config::{Colour, Images, ProductionConfig};
use crate::model::{Treatment, sha256_hex};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// The image cross-references of a volume.
pub(super) struct CrossRefs {
    pub(super) opt: Vec<OptDoc>,
    /// One record per page image; only for single-page image volumes.
    pub(super) lfp: Option<Vec<LfpPage>>,
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

/// DATA/: DAT, OPT, index and privilege log (CSV, XLSX), manifest.
/// Returns the DAT substitutions and XLSX truncations to report.
pub(super) fn write_data(
    staging: &Path,
    plan: &Plan,
    req: &Request<'_>,
    matter: &Matter,
    (index, privlog): (&[IndexRow], &[PrivLogRow]),
    xrefs: &CrossRefs,
) -> Result<DataFiles, Error> {
    let data = staging.join("DATA");
    let files = std::cell::RefCell::new(Vec::new());
    let put = |name: String, bytes: &[u8]| {
        files
            .borrow_mut()
            .push((format!("DATA/{name}"), sha256_hex(bytes)));
        write_file(&data.join(&name), bytes)
    };
    // A log-only withheld document has an index row but no DAT line.
    let dat_rows = index.iter().filter(|r| r.pgcount.is_some());
    let load_file = &matter.config.load_file;
    let dat_name = format!("{}.dat", req.name);
    let dat_path = data.join(&dat_name);
    let io = |e: std::io::Error| Error::io("write", &dat_path, e);
    let mut dat_file = HashedFile::create(&dat_path).map_err(io)?;
    // Written a line at a time: a DAT of 100,000 rows is never held whole.
    let substitutions = crate::export::dat::write_dat_to(
        dat_rows,
        load_file.profile(),
        load_file.encoding(),
        &mut dat_file,
    )
    .map_err(|e| match e {
        DatError::Unencodable(bad) => {
            super::loadfile::unencodable_error(&bad, load_file.encoding())
        }
        DatError::Io(e) => io(e),
    })?;
    files
        .borrow_mut()
        .push((format!("DATA/{dat_name}"), dat_file.finish().map_err(io)?));
    // The OPT is adrec's own output: a failure here is adrec's, never the input's.
    let opt = crate::export::opt::write_opt(&xrefs.opt).map_err(|e| {
        Error::internal(format!("could not write the OPT: {e}"))
            .hint("nothing was recorded; please report this as a bug")
    })?;
    put(format!("{}.opt", req.name), &opt)?;
    if let Some(pages) = &xrefs.lfp {
        let lfp = crate::export::lfp::write_lfp(req.name, pages).map_err(|e| {
            Error::internal(format!("could not write the LFP: {e}"))
                .hint("nothing was recorded; please report this as a bug")
        })?;
        put(format!("{}.lfp", req.name), &lfp)?;
    }
    put(
        format!("{}_index.csv", req.name),
        &crate::export::csv::index_csv(index).map_err(Error::internal)?,
    )?;
    let props = |sheet: &str| crate::export::xlsx::XlsxProps {
        title: req.title.to_string(),
        date: req.date,
        sheet_name: sheet.to_string(),
    };
    let ix = crate::export::xlsx::index_xlsx(index, &props("Index")).map_err(Error::internal)?;
    put(format!("{}_index.xlsx", req.name), &ix.bytes)?;
    let (logs, log_cuts) =
        super::loadfile::privlog_files(req.name, privlog, &matter.config, &props("Privilege log"))?;
    for (name, bytes) in logs {
        put(name, &bytes)?;
    }
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
        privilege_log: Some(&matter.config.privilege_log)
            .filter(|_| !LogSettings::from_config(&matter.config).is_default()),
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
    let cuts = ix
        .truncations
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

/// SHA256SUMS over every file in the volume, `sha256sum -c` compatible,
/// from the hashes taken as each file was written (no second read).
pub(super) fn write_checksums(
    staging: &Path,
    mut files: Vec<(String, String)>,
) -> Result<(), Error> {
    files.sort();
    let out: String = files
        .iter()
        .map(|(rel, sha)| format!("{sha}  {rel}\n"))
        .collect();
    write_file(&staging.join("SHA256SUMS"), out.as_bytes())
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
