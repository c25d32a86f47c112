//! The one place that picks a regular-expression engine (and case folding).
//!
//! In the browser (wasm32) patterns run on the JS `RegExp` itself, which is both the smallest
//! option and exactly what the GrowthBook JS SDK does. Natively they run on `regex_lite`, which
//! accepts the common subset of JS syntax but not look-around or back-references (such patterns
//! count as invalid there), and folds case only for ASCII letters.

/// Whether `pattern` matches anywhere in `text` (JS `new RegExp(pattern, flags).test(text)`);
/// `None` when the pattern is invalid.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn regex_matches(pattern: &str, text: &str, case_insensitive: bool) -> Option<bool> {
    let re = regex_lite::RegexBuilder::new(pattern).case_insensitive(case_insensitive).build().ok()?;
    Some(re.is_match(text))
}

#[cfg(target_arch = "wasm32")]
mod js_regexp {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// `RegExp(pattern, flags)`; a SyntaxError comes back as `Err` instead of unwinding.
        #[wasm_bindgen(catch, js_name = RegExp)]
        pub(super) fn new_regexp(pattern: &str, flags: &str) -> Result<js_sys::RegExp, JsValue>;
    }
}

/// Whether `pattern` matches anywhere in `text` (JS `new RegExp(pattern, flags).test(text)`);
/// `None` when the pattern is invalid.
#[cfg(target_arch = "wasm32")]
pub(crate) fn regex_matches(pattern: &str, text: &str, case_insensitive: bool) -> Option<bool> {
    let flags = if case_insensitive { "i" } else { "" };
    let re = js_regexp::new_regexp(pattern, flags).ok()?;
    Some(re.test(text))
}

/// Lower-cases like JS `String.prototype.toLowerCase`: natively with the standard library, in
/// the browser with the platform's own, which spares the wasm build Rust's Unicode tables.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn lowercase(s: &str) -> String {
    s.to_lowercase()
}

/// Lower-cases like JS `String.prototype.toLowerCase`, with the platform's own.
#[cfg(target_arch = "wasm32")]
pub(crate) fn lowercase(s: &str) -> String {
    String::from(js_sys::JsString::from(s).to_lower_case())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::regex_matches;

    #[test]
    fn js_style_patterns() {
        assert_eq!(regex_matches(r"^https:\/\/x\.com", "https://x.com/a", false), Some(true));
        assert_eq!(regex_matches("(MOBILE|TABLET)", "android mobile", true), Some(true));
        assert_eq!(regex_matches("-12-25$", "1980-12-25", false), Some(true));
        assert_eq!(regex_matches("/???***[)", "x", false), None);
    }
}
