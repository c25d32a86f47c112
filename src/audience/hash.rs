//! GrowthBook's bucketing hash (FNV-1a, 32 bit, over UTF-16 code units).

use crate::read::push_uint;

/// The FNV-1a offset basis: the hash of no text.
const FNV_START: u32 = 0x811c_9dc5;

/// FNV-1a continued from `h` over the UTF-16 code units of `s`, as the JS SDK computes it with
/// `charCodeAt`: hashing two texts in turn hashes them joined, with no joined copy made.
fn fnv1a32(h: u32, s: &str) -> u32 {
    let step = |h: u32, unit: u32| (h ^ unit).wrapping_mul(0x0100_0193);
    // The code units by hand (less wasm than `encode_utf16`): a char beyond U+FFFF is a pair.
    s.chars().fold(h, |h, c| match u32::from(c) {
        n @ 0x1_0000.. => step(step(h, 0xD800 | (n - 0x1_0000) >> 10), 0xDC00 | (n & 0x3FF)),
        n => step(h, n),
    })
}

/// Version 1: `fnv(value + seed) % 1000 / 1000`. Version 2: `fnv(String(fnv(seed + value)))
/// % 10000 / 10000`. Any other version: `None`.
pub(crate) fn hash(seed: &str, value: &str, version: u32) -> Option<f64> {
    match version {
        1 => Some(f64::from(fnv1a32(fnv1a32(FNV_START, value), seed) % 1000) / 1000.0),
        2 => {
            let mut inner = String::new();
            push_uint(&mut inner, u64::from(fnv1a32(fnv1a32(FNV_START, seed), value)), 1);
            Some(f64::from(fnv1a32(FNV_START, &inner) % 10000) / 10000.0)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_utf16_code_units() {
        for text in ["", "abc", "\u{e9}t\u{e9}", "\u{ffff}", "\u{10000}", "a\u{1f600}b", "\u{10ffff}"] {
            let units = text.encode_utf16().fold(FNV_START, |h, unit| (h ^ u32::from(unit)).wrapping_mul(0x0100_0193));
            assert_eq!(fnv1a32(FNV_START, text), units, "{text:?}");
        }
    }
}
