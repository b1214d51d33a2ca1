//! What compressing a file holds in memory: a server compresses its status document after every
//! gift, at once with the rest of its work, and must stay small.

use jauge_server::compress::{compress, Effort};

#[test]
fn compressing_a_small_file_holds_little_memory() {
    // One test measures, as dhat counts for the whole process.
    let _profiler = dhat::Profiler::builder().testing().build();
    let status =
        r#"{"schema": 2, "raised": {"amount": "119191.86", "currency": "EUR"}}"#.repeat(30);
    let mut peaks = Vec::new();
    for (effort, body) in [
        (Effort::Fast, status.as_bytes().to_vec()),
        (Effort::Best, status.as_bytes().to_vec()),
        // Sizes around the windows where the encoder changes its tables.
        (Effort::Fast, status.repeat(30).into_bytes()),
        (Effort::Fast, status.repeat(70).into_bytes()),
    ] {
        let before = dhat::HeapStats::get();
        let copies = compress(&body, effort);
        assert!(copies.brotli.is_some() && copies.gzip.is_some());
        let after = dhat::HeapStats::get();
        // The most held at once while compressing, beyond what was held before (dhat keeps
        // the process's maximum, so a later figure is never below an earlier one: this errs
        // toward failing).
        peaks.push((
            effort,
            body.len(),
            after.max_bytes.saturating_sub(before.curr_bytes),
        ));
    }
    for (effort, len, peak) in &peaks {
        // Measured: 32 MiB for the fast copy of a 2 KB file before the encoder was given its
        // window; now 1.1 to 2.7 MiB.
        dhat::assert!(
            *peak < 4 << 20,
            "{effort:?} compression of {len} bytes held {peak} bytes at once: {peaks:?}"
        );
    }
}
