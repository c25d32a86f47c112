//! GrowthBook's bucketing hash (FNV-1a, 32 bit, over UTF-16 code units).

use crate::read::push_uint;

/// The FNV-1a offset basis: the hash of no text.
const FNV_START: u32 = 0x811c_9dc5;

/// FNV-1a continued from `h` over the UTF-16 code units of `s`, as the JS SDK computes it with
/// `charCodeAt`: hashing two texts in turn hashes them joined, with no joined copy made.
fn fnv1a32(h: u32, s: &str) -> u32 {
    s.encode_utf16().fold(h, |h, unit| (h ^ u32::from(unit)).wrapping_mul(0x0100_0193))
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
