//! A volume larger than one read batch (2,048 families) and than one write
//! batch (1,024 documents): the matter read ahead on a second handle while
//! a batch is written, written a batch at a time in parallel, its flush to
//! disk started ahead while the load files are made, and whole when the
//! produce says it is.

use crate::util::*;
use std::path::{Path, PathBuf};

const NATIVES: usize = 2_100;

/// Every file under `dir`, sorted by path.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

#[test]
fn a_volume_of_several_write_batches_is_whole_in_order_and_checksummed() {
    let m = TestMatter::new("generic");
    let src = m.scratch("natives");
    for i in 0..NATIVES {
        let dir = src.join(format!("{:02}", i / 500));
        std::fs::create_dir_all(&dir).unwrap();
        let body = format!("id,amount\n{i},{}\n", i * 7 % 1000);
        std::fs::write(dir.join(format!("record-{i:04}.csv")), body).unwrap();
    }
    m.cmd()
        .args(["ingest", src.to_str().unwrap()])
        .assert()
        .success();
    let docs = m.docs();
    assert_eq!(docs.len(), NATIVES);
    let mut tags = String::from("docid,status,category\n");
    for d in &docs {
        tags.push_str(&format!("{},produce,1\n", d["docid"].as_str().unwrap()));
    }
    let sheet = m.scratch("tags").join("tags.csv");
    std::fs::write(&sheet, tags).unwrap();
    m.cmd()
        .args(["tag", "--from", sheet.to_str().unwrap()])
        .assert()
        .success();
    let out = m.produce_ok("VOL001");
    assert!(
        text(&out).0.contains(&format!("{NATIVES} document(s)")),
        "{:?}",
        text(&out)
    );

    let vol = m.root.join("productions/VOL001");
    sha256sums_ok(&vol).unwrap();
    // DOCIDs follow the collected paths and Bates numbers the DOCIDs, so the
    // natives in Bates order are the sources in path order, byte for byte,
    // 1,000 a folder.
    let sources = files_under(&src);
    let natives = files_under(&vol.join("NATIVES"));
    assert_eq!(natives.len(), NATIVES);
    for (source, native) in sources.iter().zip(&natives) {
        assert_eq!(
            std::fs::read(source).unwrap(),
            std::fs::read(native).unwrap(),
            "{} against {}",
            native.display(),
            source.display()
        );
    }
    let in_folder = |f: &str| {
        std::fs::read_dir(vol.join("NATIVES").join(f))
            .unwrap()
            .count()
    };
    assert_eq!(
        ["0001", "0002", "0003"].map(in_folder),
        [1000, 1000, NATIVES - 2000]
    );
    // A slip sheet and a text file for each, under the native's Bates number.
    let stem = |p: &PathBuf| p.file_stem().unwrap().to_os_string();
    let stems: Vec<_> = natives.iter().map(stem).collect();
    for (folder, ext) in [("IMAGES", "pdf"), ("TEXT", "txt")] {
        let files = files_under(&vol.join(folder));
        assert_eq!(
            files.iter().map(stem).collect::<Vec<_>>(),
            stems,
            "{folder}"
        );
        assert!(
            files.iter().all(|f| f.extension().unwrap() == ext),
            "{folder}"
        );
    }
    // One DAT row a document, after the header.
    let dat = files_under(&vol.join("DATA"))
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == "dat"))
        .expect("a DAT");
    let rows = std::fs::read(&dat).unwrap();
    assert_eq!(
        rows.windows(2).filter(|w| w == b"\r\n").count(),
        NATIVES + 1
    );
}
