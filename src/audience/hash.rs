//! GrowthBook's bucketing hash (FNV-1a, 32 bit, over UTF-16 code units).

use crate::read::push_uint;

/// FNV-1a over the UTF-16 code units of `s`, as the JS SDK computes it with `charCodeAt`.
fn fnv1a32(s: &str) -> u32 {
    s.encode_utf16().fold(0x811c_9dc5u32, |h, unit| (h ^ u32::from(unit)).wrapping_mul(0x0100_0193))
}

/// Version 1: `fnv(value + seed) % 1000 / 1000`. Version 2: `fnv(String(fnv(seed + value)))
/// % 10000 / 10000`. Any other version: `None`.
pub(crate) fn hash(seed: &str, value: &str, version: u32) -> Option<f64> {
    match version {
        1 => {
            let mut s = String::with_capacity(value.len() + seed.len());
            s.push_str(value);
            s.push_str(seed);
            Some(f64::from(fnv1a32(&s) % 1000) / 1000.0)
        }
        2 => {
            let mut s = String::with_capacity(seed.len() + value.len());
            s.push_str(seed);
            s.push_str(value);
            let mut inner = String::new();
            push_uint(&mut inner, u64::from(fnv1a32(&s)), 1);
            Some(f64::from(fnv1a32(&inner) % 10000) / 10000.0)
        }
        _ => None,
    }
}
