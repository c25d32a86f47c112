//! Locale rules: CLDR cardinal plural categories and `Intl.NumberFormat`-style number output.
//!
//! Numbers are written by hand (scaled to integer thousandths, rounded half away from zero, then
//! written digit by digit) because float formatting adds ~14 KB to the wasm build.
//! Only the language subtag of a locale tag is used (`"de-AT"` and `"pt_BR"` resolve to `de` and
//! `pt`); regional variants such as de-CH grouping or Latin digits in ar-MA are not modelled.
//! Unknown languages get English rules.

use crate::read::push_uint;

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PluralCategory {
    /// `zero`
    Zero,
    /// `one`
    One,
    /// `two`
    Two,
    /// `few`
    Few,
    /// `many`
    Many,
    /// `other`
    Other,
}

impl PluralCategory {
    /// The category for a CLDR keyword (`"zero"`, `"one"`, …), as returned by JS
    /// `Intl.PluralRules.prototype.select`; `None` for anything else.
    pub fn from_keyword(keyword: &str) -> Option<PluralCategory> {
        Some(match keyword {
            "zero" => PluralCategory::Zero,
            "one" => PluralCategory::One,
            "two" => PluralCategory::Two,
            "few" => PluralCategory::Few,
            "many" => PluralCategory::Many,
            "other" => PluralCategory::Other,
            _ => return None,
        })
    }

    /// The CLDR keyword for this category.
    pub fn keyword(self) -> &'static str {
        match self {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }
}

/// Plural rules and number formatting for a locale. The browser build plugs in JS `Intl`;
/// natively [`BuiltinLocalizer`] is used.
pub trait Localizer {
    /// The cardinal plural category of `n` in `locale` (like `Intl.PluralRules(locale).select(n)`).
    fn plural_category(&self, locale: &str, n: f64) -> PluralCategory;

    /// `n` formatted like `Intl.NumberFormat(locale).format(n)` (at most 3 fraction digits).
    fn format_number(&self, locale: &str, n: f64) -> String;

    /// `n` as a percentage like `Intl.NumberFormat(locale, {style: "percent"}).format(n)`:
    /// multiplied by 100, rounded to an integer, with the locale's percent sign. The default
    /// appends a plain `%` to [`Localizer::format_number`]; implementations should override it.
    fn format_percent(&self, locale: &str, n: f64) -> String {
        let mut out = self.format_number(locale, percent_value(n));
        out.push('%');
        out
    }
}

/// `n * 100` rounded half away from zero to an integer, after first snapping to thousandths so
/// that e.g. `0.285 * 100 = 28.499999999999996` still rounds to 29 as `Intl` does.
pub(crate) fn percent_value(n: f64) -> f64 {
    let x = n * 100.0;
    if x.abs() < 1e15 {
        ((x * 1000.0).round() / 1000.0).round()
    } else {
        x.round()
    }
}

/// Native CLDR rules for en, de, fr, ru, ar and ja (zh and ko share ja's rules); any other
/// language gets English rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinLocalizer;

impl Localizer for BuiltinLocalizer {
    fn plural_category(&self, locale: &str, n: f64) -> PluralCategory {
        plural(lang(locale), n)
    }

    fn format_number(&self, locale: &str, n: f64) -> String {
        let mut out = String::new();
        write_number(&mut out, n, 3, &symbols(lang(locale)));
        out
    }

    fn format_percent(&self, locale: &str, n: f64) -> String {
        let syms = symbols(lang(locale));
        let mut out = String::new();
        write_number(&mut out, percent_value(n), 0, &syms);
        out.push_str(syms.percent);
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    De,
    Fr,
    Ru,
    Ar,
    Ja,
}

/// The language of a BCP 47 tag (or a `pt_BR`-style POSIX tag), defaulting to English.
fn lang(locale: &str) -> Lang {
    let sub = locale.split(['-', '_']).next().unwrap_or("");
    let is = |code: &str| sub.eq_ignore_ascii_case(code);
    if is("de") {
        Lang::De
    } else if is("fr") {
        Lang::Fr
    } else if is("ru") {
        Lang::Ru
    } else if is("ar") {
        Lang::Ar
    } else if is("ja") || is("zh") || is("ko") {
        Lang::Ja
    } else {
        Lang::En
    }
}

/// 2^52: every double at or above this magnitude is an integer.
const INTEGRAL: f64 = 4_503_599_627_370_496.0;

/// The plural operands of `|n|` after rounding to 3 fraction digits (as `Intl.PluralRules`
/// does): `i` integer part, `v` visible fraction digits (trailing zeros dropped).
fn operands(a: f64) -> (f64, u32) {
    if a >= INTEGRAL {
        return (a, 0);
    }
    let t = (a * 1000.0).round() as u64;
    let mut f = t % 1000;
    let mut v = if f == 0 { 0 } else { 3 };
    while v > 0 && f.is_multiple_of(10) {
        f /= 10;
        v -= 1;
    }
    ((t / 1000) as f64, v)
}

fn plural(lang: Lang, n: f64) -> PluralCategory {
    use PluralCategory::*;
    if !n.is_finite() {
        return Other;
    }
    let (i, v) = operands(n.abs());
    let in_range = |x: f64, lo: f64, hi: f64| x >= lo && x <= hi;
    match lang {
        Lang::En | Lang::De => {
            if i == 1.0 && v == 0 {
                One
            } else {
                Other
            }
        }
        Lang::Fr => {
            if i == 0.0 || i == 1.0 {
                One
            } else if v == 0 && i % 1_000_000.0 == 0.0 {
                // CLDR 42+: "many" for non-zero multiples of a million (1 000 000 de …).
                Many
            } else {
                Other
            }
        }
        Lang::Ru => {
            if v != 0 {
                return Other;
            }
            let (m10, m100) = (i % 10.0, i % 100.0);
            if m10 == 1.0 && m100 != 11.0 {
                One
            } else if in_range(m10, 2.0, 4.0) && !in_range(m100, 12.0, 14.0) {
                Few
            } else {
                Many
            }
        }
        Lang::Ar => {
            if v != 0 {
                return Other;
            }
            let m100 = i % 100.0;
            if i == 0.0 {
                Zero
            } else if i == 1.0 {
                One
            } else if i == 2.0 {
                Two
            } else if in_range(m100, 3.0, 10.0) {
                Few
            } else if in_range(m100, 11.0, 99.0) {
                Many
            } else {
                Other
            }
        }
        Lang::Ja => Other,
    }
}

/// Number symbols of a locale (CLDR, default numbering system).
pub(crate) struct Symbols {
    group: &'static str,
    decimal: &'static str,
    minus: &'static str,
    percent: &'static str,
    nan: &'static str,
    /// Arabic-Indic digits (U+0660–U+0669) instead of ASCII ones.
    arab: bool,
}

fn symbols(lang: Lang) -> Symbols {
    let latin = |group, decimal, percent, nan| Symbols { group, decimal, minus: "-", percent, nan, arab: false };
    match lang {
        Lang::En | Lang::Ja => latin(",", ".", "%", "NaN"),
        Lang::De => latin(".", ",", "\u{a0}%", "NaN"),
        Lang::Fr => latin("\u{202f}", ",", "\u{202f}%", "NaN"),
        Lang::Ru => latin("\u{a0}", ",", "\u{a0}%", "не\u{a0}число"),
        // What Chrome prints for `ar`: Arabic-Indic digits, U+066C grouping, U+066B decimal,
        // and CLDR's minus / percent signs that carry an Arabic letter mark (U+061C).
        Lang::Ar => Symbols {
            group: "\u{66c}",
            decimal: "\u{66b}",
            minus: "\u{61c}-",
            percent: "\u{66a}\u{61c}",
            nan: "ليس\u{a0}رقمًا",
            arab: true,
        },
    }
}

/// Writes `n` rounded (half away from zero) to at most `max_frac` fraction digits, trailing
/// zeros dropped, grouped in threes. Negative values (including -0) get the minus sign, as
/// `Intl.NumberFormat` does. No float formatting is used.
pub(crate) fn write_number(out: &mut String, n: f64, max_frac: u32, syms: &Symbols) {
    if n.is_nan() {
        out.push_str(syms.nan);
        return;
    }
    if n.is_sign_negative() {
        out.push_str(syms.minus);
    }
    let mut plain = String::new();
    write_plain(&mut plain, n.abs(), max_frac);
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    for (idx, d) in int.chars().enumerate() {
        if idx > 0 && (int.len() - idx).is_multiple_of(3) {
            out.push_str(syms.group);
        }
        out.push(digit(d, syms.arab));
    }
    if !frac.is_empty() {
        out.push_str(syms.decimal);
        out.extend(frac.chars().map(|d| digit(d, syms.arab)));
    }
}

/// [`write_number`] for machine-readable output: `NaN`, `-`, `∞`, ASCII digits and `.`, no
/// grouping.
pub(crate) fn write_plain(out: &mut String, n: f64, max_frac: u32) {
    if n.is_nan() {
        return out.push_str("NaN");
    }
    if n.is_sign_negative() {
        out.push('-');
    }
    let a = n.abs();
    if a.is_infinite() {
        out.push('∞');
    } else if a >= INTEGRAL {
        write_big_integer(out, a);
    } else {
        let mut digits = max_frac.min(3);
        let scale = 10u64.pow(digits);
        let t = (a * scale as f64).round() as u64;
        push_uint(out, t / scale, 1);
        let mut frac = t % scale;
        if frac != 0 {
            // The fraction's digits without their trailing zeros: 250 → ".25", 5 → ".005".
            while frac.is_multiple_of(10) {
                frac /= 10;
                digits -= 1;
            }
            out.push('.');
            push_uint(out, frac, digits as usize);
        }
    }
}

/// An ASCII digit in Arabic-Indic digits when `arab` is set; any other char as it is.
fn digit(d: char, arab: bool) -> char {
    match d {
        '0'..='9' if arab => char::from_u32(0x660 + (d as u32 - '0' as u32)).unwrap_or(d),
        _ => d,
    }
}

/// Writes the exact decimal digits of an integral double `a >= 2^52` (no float formatting).
fn write_big_integer(out: &mut String, a: f64) {
    let bits = a.to_bits();
    let mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    let mut exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    if exp <= 11 {
        push_uint(out, mantissa << exp.max(0), 1);
        return;
    }
    // Little-endian base-1e9 limbs, multiplied by 2 in chunks of up to 32 bits.
    const BASE: u64 = 1_000_000_000;
    let mut limbs = vec![mantissa % BASE, (mantissa / BASE) % BASE, mantissa / (BASE * BASE)];
    while exp > 0 {
        let shift = exp.min(32);
        exp -= shift;
        let mut carry = 0u64;
        for limb in limbs.iter_mut() {
            let x = (*limb << shift) + carry;
            *limb = x % BASE;
            carry = x / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut iter = limbs.iter().rev();
    if let Some(top) = iter.next() {
        push_uint(out, *top, 1);
    }
    for limb in iter {
        push_uint(out, *limb, 9);
    }
}
