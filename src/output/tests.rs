//! Write errors in the output layer: an injected writer that fails after N bytes, as a full
//! disk does, must come back as an error naming the file, never a panic or a silent loss.

use super::*;
use crate::observe::Row;

/// A writer that accepts `room` bytes, then fails as a full disk does (ENOSPC).
struct FullAfter {
    room: usize,
    written: Vec<u8>,
}

impl Write for FullAfter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let free = self.room - self.written.len();
        if free == 0 {
            return Err(io::Error::from_raw_os_error(28));
        }
        let taken = bytes.len().min(free);
        self.written.extend_from_slice(&bytes[..taken]);
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `count` rows of one metric.
fn rows(count: u32) -> Vec<Row> {
    (0..count)
        .map(|step| Row {
            step,
            metric: 0,
            group: "teacher~parent".into(),
            value: 0.1 + step as f64,
        })
        .collect()
}

fn timeseries_through(room: usize, count: u32) -> Result<FullAfter, OutputError> {
    let rows = rows(count);
    let path = Path::new("run/timeseries.csv");
    let writer = FullAfter {
        room,
        written: Vec::new(),
    };
    write_buffered(path, writer, |out| {
        tables::write_timeseries(out, [(0, rows.as_slice())])
    })
}

#[test]
fn a_full_disk_while_the_buffer_fills_names_the_file() {
    // 100 000 rows are about 5 MB: the 1 MB buffer spills while the body runs.
    let error = timeseries_through(4096, 100_000).err().expect("an error");
    let message = error.to_string();
    assert!(
        message.starts_with("cannot write run/timeseries.csv: "),
        "{message}"
    );
    assert!(message.contains("No space left on device"), "{message}");
    assert!(!message.contains('\n'), "one line: {message}");
}

#[test]
fn a_full_disk_at_the_final_flush_names_the_file() {
    // 100 rows fit in the buffer: the failure comes only when it is flushed at the end,
    // which a dropped BufWriter would have swallowed.
    let error = timeseries_through(100, 100).err().expect("an error");
    assert!(matches!(&error, OutputError::Write { path, .. } if path.ends_with("timeseries.csv")));
    assert!(
        error.to_string().contains("No space left on device"),
        "{error}"
    );
}

#[test]
fn with_room_enough_every_byte_arrives() {
    let written = timeseries_through(1 << 24, 100).expect("written").written;
    let text = String::from_utf8(written).expect("utf-8");
    assert_eq!(text.lines().count(), 101, "header and 100 rows");
}

#[test]
fn write_file_names_a_file_it_cannot_create() {
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join("missing-folder").join("summary.csv");
    let error = write_file(&path, |out| out.write_all(b"x")).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("missing-folder/summary.csv"), "{message}");
    assert!(message.contains("No such file or directory"), "{message}");
}
