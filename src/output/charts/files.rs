//! Getting a drawn chart onto the disk with every write error seen.
//!
//! Owns: writing an SVG drawn into memory (flushed and synced, errors naming the file), and
//! the check that a PNG or GIF plotters wrote is whole: plotters (and the `image` and `gif`
//! encoders below it) write the last bytes of those files from a `Drop`, where an error
//! such as a full disk is lost, so a file without its format's trailer is reported here.
//! Must never: draw, or remove a file (the run folder's owner cleans up).

use super::ChartError;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// The last 12 bytes of every PNG file: the empty `IEND` chunk and its CRC.
pub const PNG_TRAILER: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];

/// The last byte of every GIF file.
pub const GIF_TRAILER: [u8; 1] = [0x3B];

/// Writes `text` to `path`, flushed and synced.
pub fn write_text(path: &Path, text: &str) -> Result<(), ChartError> {
    let written = File::create(path).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.flush()?;
        file.sync_all()
    });
    written.map_err(|source| ChartError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Checks that the file at `path` ends with `trailer` and syncs it to the disk.
pub fn check_complete(path: &Path, trailer: &[u8]) -> Result<(), ChartError> {
    let write_error = |source| ChartError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(write_error)?;
    file.sync_all().map_err(write_error)?;
    let length = file.metadata().map_err(write_error)?.len();
    let mut end = vec![0u8; trailer.len()];
    let whole = length >= trailer.len() as u64
        && (file.seek(SeekFrom::End(-(trailer.len() as i64))))
            .and_then(|_| file.read_exact(&mut end))
            .is_ok()
        && end == trailer;
    if whole {
        Ok(())
    } else {
        Err(write_error(io::Error::other(format!(
            "the file is incomplete ({length} bytes, without its trailer): its last bytes \
             could not be written (is the disk full?)"
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_its_trailer_is_reported_with_its_name() {
        let folder = tempfile::tempdir().expect("tempdir");
        let whole = folder.path().join("whole.gif");
        std::fs::write(&whole, [b'G', b'I', b'F', 0x3B]).expect("write");
        assert!(check_complete(&whole, &GIF_TRAILER).is_ok());
        let cut = folder.path().join("cut.png");
        std::fs::write(&cut, &PNG_TRAILER[..8]).expect("write");
        let error = check_complete(&cut, &PNG_TRAILER).unwrap_err().to_string();
        assert!(error.contains("cut.png"), "{error}");
        assert!(error.contains("incomplete (8 bytes"), "{error}");
        let missing = folder.path().join("missing.png");
        assert!(check_complete(&missing, &PNG_TRAILER).is_err());
    }

    #[test]
    fn text_is_written_or_the_error_names_the_file() {
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("a.svg");
        write_text(&path, "<svg/>").expect("written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "<svg/>");
        let nowhere = folder.path().join("no/such/folder/b.svg");
        let error = write_text(&nowhere, "<svg/>").unwrap_err().to_string();
        assert!(error.contains("b.svg"), "{error}");
    }
}
