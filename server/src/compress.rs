//! Precompressed copies of the files served: gzip and brotli, made once per distinct content and
//! kept, so that a site rebuilt every minute compresses its 400 KB widget bundle once, not every
//! minute; at the best settings for files that do not change, at fast ones for those remade
//! after every gift.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use bytes::Bytes;

/// Whether a file of this name is worth compressing (text and WebAssembly; PNG is compressed
/// already).
pub fn compressible(name: &str) -> bool {
    matches!(
        name.rsplit('.').next(),
        Some("html" | "css" | "js" | "json" | "svg" | "wasm" | "txt" | "md" | "csv" | "xml")
    )
}

/// A file's compressed copies, each kept only when smaller than the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Compressed {
    /// gzip, level 9.
    pub gzip: Option<Bytes>,
    /// brotli, quality 11.
    pub brotli: Option<Bytes>,
}

/// How hard to compress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effort {
    /// gzip 9, brotli 11: for files that do not change (the widget bundle, a built folder).
    /// Brotli 11 runs at about 1 MB/s.
    Best,
    /// gzip 6, brotli 5: for files remade every minute or after every gift, which must not
    /// hold up the next status (brotli 5 runs at tens of MB/s, a few percent larger).
    Fast,
}

/// Contents compressed at the best settings so far, by their 128-bit hash; emptied when it
/// passes this size.
const CACHE_ENTRIES: usize = 256;

fn cache() -> &'static Mutex<HashMap<(u128, Effort), Compressed>> {
    static CACHE: OnceLock<Mutex<HashMap<(u128, Effort), Compressed>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The compressed copies of `body`, from the cache when the same content was compressed before
/// at the best settings (fast ones cost a millisecond: caching them would only evict the
/// bundle's half-second copies, every status being new content).
pub fn compress(body: &[u8], effort: Effort) -> Compressed {
    let key = (xxhash_rust::xxh3::xxh3_128(body), effort);
    if effort == Effort::Best {
        if let Some(found) = cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
            return found;
        }
    }
    let smaller = |copy: Vec<u8>| (copy.len() < body.len()).then(|| Bytes::from(copy));
    let (gzip_level, brotli_quality) = match effort {
        Effort::Best => (9, 11),
        Effort::Fast => (6, 5),
    };
    let compressed = Compressed {
        gzip: gzip(body, gzip_level).and_then(smaller),
        brotli: brotli(body, brotli_quality).and_then(smaller),
    };
    if let (Effort::Best, Ok(mut cache)) = (effort, cache().lock()) {
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, compressed.clone());
    }
    compressed
}

fn gzip(body: &[u8], level: u32) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

fn brotli(body: &[u8], quality: i32) -> Option<Vec<u8>> {
    // A window no larger than the file: the same output, and the encoder's tables (which grow
    // with the window, to tens of megabytes at quality 11) sized to it.
    let bits = usize::BITS - body.len().saturating_sub(1).leading_zeros();
    // Except at qualities 5 to 9 below a 17-bit window: there the brotli crate falls back from
    // the C library's small hasher (which it does not have) to one of 32 MiB, for a status
    // document of 2 KB compressed after every gift. From 17 bits it takes a hasher of 1 MiB.
    let least = if (5..=9).contains(&quality) { 17 } else { 10 };
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        lgwin: bits.clamp(least, 22) as i32,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &body[..], &mut out, &params).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_decompress_to_the_file() {
        use std::io::Read;
        let body = "<p>jauge</p>\n".repeat(200);
        let copies = compress(body.as_bytes(), Effort::Fast);
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&copies.gzip.unwrap()[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, body);
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &copies.brotli.unwrap()[..], &mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, body.as_bytes());
        // Too small to gain: no copy.
        assert_eq!(compress(b"{}", Effort::Best), Compressed::default());
    }
}
