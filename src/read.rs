//! Reading a [`Value`] into domain types while collecting every [`Problem`] on the way.
//!
//! Hand-written rather than `serde_path_to_error` + derives: derives stop at the first error,
//! and PRODUCT.md asks for every problem at once, each with its path. It also keeps the wasm
//! build small (one `Value` deserializer instead of one per type).

use crate::problem::{index, join, Problem};
use crate::value::{write_fixed, Value};

/// Milliseconds in a second, minute, hour, day, week.
pub const SECOND: i64 = 1_000;
/// Milliseconds in a minute.
pub const MINUTE: i64 = 60 * SECOND;
/// Milliseconds in an hour.
pub const HOUR: i64 = 60 * MINUTE;
/// Milliseconds in a day.
pub const DAY: i64 = 24 * HOUR;

/// Collects problems while reading one input.
#[derive(Debug, Default)]
pub struct Reader {
    /// Everything found so far.
    pub problems: Vec<Problem>,
}

impl Reader {
    /// Records an error.
    pub fn error(&mut self, path: &str, code: &'static str, reason: impl Into<String>) {
        self.problems.push(Problem::error(path, code, reason));
    }

    /// Records a warning.
    pub fn warning(&mut self, path: &str, code: &'static str, reason: impl Into<String>) {
        self.problems.push(Problem::warning(path, code, reason));
    }

    /// Records that `found` is not what `path` needs: "expected a string, found number".
    pub fn wrong_type(&mut self, path: &str, expected: &str, found: &Value) {
        self.error(path, "wrong_type", wrong_type_reason(expected, found));
    }

    /// True when an error was recorded.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// Opens `value` as an object at `path`; records an error and returns `None` otherwise.
    pub fn object<'a>(&mut self, path: &str, value: &'a Value) -> Option<Obj<'a>> {
        match value {
            Value::Object(members) => Some(Obj { path: path.to_owned(), members, used: Used::new(members.len()) }),
            other => {
                self.wrong_type(path, "an object", other);
                None
            }
        }
    }

    /// Reads `value` as an array at `path`, calling `each(reader, item_path, item)`.
    pub fn array<'a, T>(
        &mut self,
        path: &str,
        value: &'a Value,
        mut each: impl FnMut(&mut Reader, &str, &'a Value) -> Option<T>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        self.items(path, value, &mut |r, item_path, item| out.extend(each(r, item_path, item)));
        out
    }

    /// Calls `each(reader, item_path, item)` for each item of the array `value` at `path`: the
    /// loop of [`Reader::array`], not generic so that it is not repeated for each item type.
    fn items<'a>(&mut self, path: &str, value: &'a Value, each: &mut dyn FnMut(&mut Reader, &str, &'a Value)) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    each(self, &index(path, i), item);
                }
            }
            other => self.wrong_type(path, "an array", other),
        }
    }

    /// Reads a string.
    pub fn string(&mut self, path: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong_type(path, "a string", other);
                None
            }
        }
    }

    /// Reads a non-empty identifier: letters, digits, `_`, `-`, `.`, `:`.
    pub fn id(&mut self, path: &str, value: &Value) -> Option<String> {
        let s = self.string(path, value)?;
        if s.is_empty() || s.len() > 64 || !s.chars().all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c)) {
            self.error(
                path,
                "bad_id",
                concat3("`", &s, "` is not an id: use 1 to 64 letters, digits, `_`, `-`, `.` or `:`"),
            );
            return None;
        }
        Some(s)
    }

    /// Reads a finite number within `min..=max`.
    pub fn number(&mut self, path: &str, value: &Value, min: f64, max: f64) -> Option<f64> {
        match value {
            Value::Number(n) if n.is_finite() && *n >= min && *n <= max => Some(*n),
            Value::Number(n) => {
                self.error(
                    path,
                    "out_of_range",
                    [&fmt_num(*n), " is out of range (", &fmt_num(min), " to ", &fmt_num(max), ")"].concat(),
                );
                None
            }
            other => {
                self.wrong_type(path, "a number", other);
                None
            }
        }
    }

    /// Reads a whole number within `min..=max`.
    pub fn count(&mut self, path: &str, value: &Value, min: u32, max: u32) -> Option<u32> {
        let n = self.number(path, value, min.into(), max.into())?;
        if n.fract() != 0.0 {
            self.error(path, "not_whole", ["expected a whole number, found ", &fmt_num(n)].concat());
            return None;
        }
        Some(n as u32)
    }

    /// Reads a boolean.
    pub fn boolean(&mut self, path: &str, value: &Value) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                self.wrong_type(path, "true or false", other);
                None
            }
        }
    }

    /// Reads a duration such as `"14d"`, `"12h"`, `"30m"`, `"2w"` into milliseconds.
    pub fn duration(&mut self, path: &str, value: &Value) -> Option<i64> {
        let s = self.string(path, value)?;
        match parse_duration(&s) {
            Some(ms) => Some(ms),
            None => {
                self.error(
                    path,
                    "bad_duration",
                    concat3("`", &s, "` is not a duration: write a whole number and a unit, like \"14d\", \"12h\", \"30m\" or \"2w\""),
                );
                None
            }
        }
    }

    /// Reads a point in time: milliseconds since the epoch, or an ISO 8601 date or date-time.
    pub fn time(&mut self, path: &str, value: &Value) -> Option<i64> {
        match value {
            // NaN and the infinities fail the comparison: no `is_finite` needed.
            Value::Number(n) if n.abs() < 1e15 => Some(*n as i64),
            Value::String(s) => {
                match parse_iso_time(s) {
                    Some(t) => Some(t),
                    None => {
                        self.error(path, "bad_time", concat3("`", s, "` is not a date: use \"2026-12-04\", \"2026-12-04T10:30:00Z\" or milliseconds since 1970"));
                        None
                    }
                }
            }
            other => {
                self.wrong_type(path, "a date", other);
                None
            }
        }
    }

    /// Reads one of `choices`.
    pub fn choice<T: Copy>(&mut self, path: &str, value: &Value, choices: &[(&str, T)]) -> Option<T> {
        let s = self.string(path, value)?;
        if let Some((_, t)) = choices.iter().find(|(name, _)| *name == s) {
            return Some(*t);
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        self.error(path, "unknown_choice", ["`", &s, "` is not one of: ", &names.join(", ")].concat());
        None
    }
}

/// The reason of a `wrong_type` problem: "expected a string, found number".
pub(crate) fn wrong_type_reason(expected: &str, found: &Value) -> String {
    ["expected ", expected, ", found ", found.type_name()].concat()
}

/// The reason for an id that is not among `known`: `lead`, the id, `then`, and the known ids
/// ("unknown metric `x`; declared: a, b").
pub(crate) fn unknown_reason(lead: &str, id: &str, then: &str, known: &[String]) -> String {
    [lead, id, then, &known.join(", ")].concat()
}

/// Three pieces of text as one: `[a, b, c].concat()` in one call, where the slice would be built
/// at every caller (a reason naming something, "unknown field `" + key + "`", or a seed).
pub(crate) fn concat3(a: &str, b: &str, c: &str) -> String {
    [a, b, c].concat()
}

/// Which members of an object were read: a bit set, on the stack for the usual small object
/// (events are read on the `track` hot path).
enum Used {
    Bits(u64),
    Many(Vec<bool>),
}

impl Used {
    fn new(n: usize) -> Self {
        if n <= 64 {
            Used::Bits(0)
        } else {
            Used::Many(vec![false; n])
        }
    }

    fn set(&mut self, i: usize) {
        match self {
            Used::Bits(b) => *b |= 1 << i,
            Used::Many(v) => v[i] = true,
        }
    }

    fn get(&self, i: usize) -> bool {
        match self {
            Used::Bits(b) => b & (1 << i) != 0,
            Used::Many(v) => v[i],
        }
    }
}

/// An object being read: remembers which members were used so the rest can be reported.
pub struct Obj<'a> {
    /// The object's own path.
    pub path: String,
    members: &'a [(String, Value)],
    used: Used,
}

impl<'a> Obj<'a> {
    /// The member `key`, if present (and marks it as known).
    pub fn get(&mut self, key: &str) -> Option<&'a Value> {
        let i = self.members.iter().position(|(k, _)| k == key)?;
        self.used.set(i);
        match &self.members[i].1 {
            Value::Null => None,
            v => Some(v),
        }
    }

    /// The path of member `key`.
    pub fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The member `key`, or an error saying it is required.
    pub fn require(&mut self, r: &mut Reader, key: &str) -> Option<&'a Value> {
        let v = self.get(key);
        if v.is_none() {
            r.error(&self.path, "missing_field", concat3("missing required field `", key, "`"));
        }
        v
    }

    /// Reads member `key` with `read(reader, path, value)` if present.
    pub fn opt<T>(
        &mut self,
        r: &mut Reader,
        key: &str,
        read: impl FnOnce(&mut Reader, &str, &'a Value) -> Option<T>,
    ) -> Option<T> {
        let v = self.get(key)?;
        read(r, &self.at(key), v)
    }

    /// Reads required member `key` with `read(reader, path, value)`.
    pub fn req<T>(
        &mut self,
        r: &mut Reader,
        key: &str,
        read: impl FnOnce(&mut Reader, &str, &'a Value) -> Option<T>,
    ) -> Option<T> {
        let v = self.require(r, key)?;
        read(r, &self.at(key), v)
    }

    /// All members, in order (marks them all as known).
    pub fn entries(&mut self) -> &'a [(String, Value)] {
        (0..self.members.len()).for_each(|i| self.used.set(i));
        self.members
    }

    /// Reports every member that was never asked for as an unknown field.
    pub fn finish(self, r: &mut Reader) {
        for (i, (key, _)) in self.members.iter().enumerate() {
            if !self.used.get(i) {
                r.error(&join(&self.path, key), "unknown_field", concat3("unknown field `", key, "`"));
            }
        }
    }
}

/// Parses `"14d"`, `"12h"`, `"30m"`, `"45s"`, `"2w"` into milliseconds.
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let unit = s.chars().last()?;
    let digits = &s[..s.len() - unit.len_utf8()];
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    let ms = match unit {
        's' => SECOND,
        'm' => MINUTE,
        'h' => HOUR,
        'd' => DAY,
        'w' => 7 * DAY,
        _ => return None,
    };
    (n > 0).then_some(n * ms)
}

/// Formats a duration in milliseconds the way playbooks write it (`"14d"`, `"12h"`).
pub fn format_duration(ms: i64) -> String {
    let (n, unit) = if ms % DAY == 0 {
        (ms / DAY, "d")
    } else if ms % HOUR == 0 {
        (ms / HOUR, "h")
    } else if ms % MINUTE == 0 {
        (ms / MINUTE, "m")
    } else {
        (ms / SECOND, "s")
    };
    let mut s = String::new();
    push_int(&mut s, n, 1);
    s.push_str(unit);
    s
}

/// Parses an ISO 8601 date (`2026-12-04`) or UTC date-time (`2026-12-04T10:30:00Z`, with
/// optional fraction and `±hh:mm` offset) into milliseconds since the epoch.
pub fn parse_iso_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter().try_fold(0i64, |acc, c| c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0')))
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) * DAY;
    if b.len() == 10 {
        return Some(ms);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 16 || b[13] != b':' {
        return None;
    }
    let (hour, minute) = (num(11, 2)?, num(14, 2)?);
    let mut i = 16;
    let mut second = 0;
    if b.get(16) == Some(&b':') {
        second = num(17, 2)?;
        i = 19;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    ms += hour * HOUR + minute * MINUTE + second * SECOND;
    if b.get(i) == Some(&b'.') {
        // Milliseconds from the first three digits of the fraction; the rest are read past.
        i += 1;
        let start = i;
        let mut unit = 100;
        while let Some(d @ b'0'..=b'9') = b.get(i) {
            ms += i64::from(d - b'0') * unit;
            unit /= 10;
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    match b.get(i) {
        None | Some(b'Z' | b'z') if b.len() <= i + 1 => Some(ms),
        Some(sign @ (b'+' | b'-')) if b.len() == i + 6 && b[i + 3] == b':' => {
            let offset = num(i + 1, 2)? * HOUR + num(i + 4, 2)? * MINUTE;
            Some(if *sign == b'+' { ms - offset } else { ms + offset })
        }
        _ => None,
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats ms since the epoch as `2026-12-04T10:30Z` (UTC, minutes).
#[cfg(not(target_arch = "wasm32"))]
pub fn format_time(ms: i64) -> String {
    let days = ms.div_euclid(DAY);
    let rest = ms.rem_euclid(DAY);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut s = String::with_capacity(17);
    push_int(&mut s, year, 4);
    for (sep, n) in [('-', month), ('-', day), ('T', rest / HOUR), (':', rest % HOUR / MINUTE)] {
        s.push(sep);
        push_int(&mut s, n, 2);
    }
    s.push('Z');
    s
}

/// Formats ms since the epoch as `2026-12-04T10:30Z` (UTC, minutes). In the browser the
/// calendar is `Date.prototype.toISOString`'s (0.5 KB gzip less wasm than the civil-date code
/// above). The time is first clamped to the ±8.64e15 ms a `Date` holds, so it never throws;
/// years past 9999 (and before year 0) come out as JS writes them (`+010000`, `-000001`).
#[cfg(target_arch = "wasm32")]
pub fn format_time(ms: i64) -> String {
    const DATE_LIMIT: i64 = 8_640_000_000_000_000;
    let at = js_sys::Date::new(&(ms.clamp(-DATE_LIMIT, DATE_LIMIT) as f64).into());
    // `2026-12-04T10:30:00.000Z`: drop the seconds and milliseconds, keep the `Z`.
    let mut s = String::from(at.to_iso_string());
    s.truncate(s.len().saturating_sub(8));
    s.push('Z');
    s
}

/// Formats a number for a message without float formatting machinery: integers exactly,
/// other values to three decimals. (Float `Display` costs ~14 KB of wasm.)
pub fn fmt_num(n: f64) -> String {
    if !n.is_finite() {
        return "a non-finite number".into();
    }
    let neg = n < 0.0;
    let milli = (n.abs() * 1000.0).round();
    if milli > 9.0e15 {
        return if neg { "a very large negative number" } else { "a very large number" }.into();
    }
    let milli = milli as u64;
    let mut s = String::new();
    if neg && milli > 0 {
        s.push('-');
    }
    // Three decimals without their trailing zeros: 0.25, 0.005, 3.
    write_fixed(&mut s, milli, 3);
    s
}

/// Appends the decimal digits of `n`, with leading zeros to make at least `width` digits, up to
/// 24 (what `format!("{n:0width$}")` writes, without the formatting machinery in the wasm build).
pub(crate) fn push_uint(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 24];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i.min(digits.len().saturating_sub(width))..] {
        out.push(char::from(d));
    }
}

/// The decimal digits of `n`: what `n.to_string()` gives, without the formatting machinery.
pub(crate) fn uint_text(n: u64) -> String {
    let mut s = String::new();
    push_uint(&mut s, n, 1);
    s
}

/// As [`push_uint`] for a signed number; the sign counts towards `width`, as with `format!`.
pub(crate) fn push_int(out: &mut String, n: i64, width: usize) {
    if n < 0 {
        out.push('-');
    }
    push_uint(out, n.unsigned_abs(), width.saturating_sub(usize::from(n < 0)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("14d"), Some(14 * DAY));
        assert_eq!(parse_duration("12h"), Some(12 * HOUR));
        assert_eq!(parse_duration("2w"), Some(14 * DAY));
        assert_eq!(parse_duration("30m"), Some(30 * MINUTE));
        for bad in ["", "d", "14", "1.5d", "-3d", "0d", "14 days", "3y", "9999999d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(format_duration(14 * DAY), "14d");
        assert_eq!(format_duration(36 * HOUR), "36h");
    }

    #[test]
    fn iso_times() {
        assert_eq!(parse_iso_time("1970-01-01"), Some(0));
        assert_eq!(parse_iso_time("2026-12-04"), Some(1_796_342_400_000));
        assert_eq!(parse_iso_time("2026-12-04T10:30:00Z"), Some(1_796_342_400_000 + 10 * HOUR + 30 * MINUTE));
        assert_eq!(parse_iso_time("2026-12-04T10:30:00.250Z"), Some(1_796_342_400_000 + 10 * HOUR + 30 * MINUTE + 250));
        assert_eq!(parse_iso_time("2026-12-04T10:30:00+01:00"), Some(1_796_342_400_000 + 9 * HOUR + 30 * MINUTE));
        assert_eq!(parse_iso_time("2024-02-29"), Some(1_709_164_800_000));
        for bad in
            ["2023-02-29", "2026-13-01", "2026-12-04T25:00", "yesterday", "2026-12-4", "2026-12-04T10:30:00Zjunk"]
        {
            assert_eq!(parse_iso_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_times() {
        assert_eq!(format_time(0), "1970-01-01T00:00Z");
        assert_eq!(format_time(-60_000), "1969-12-31T23:59Z");
        assert_eq!(format_time(parse_iso_time("2024-02-29T23:59:00Z").unwrap()), "2024-02-29T23:59Z");
        assert_eq!(format_time(parse_iso_time("2026-12-04T10:30:00Z").unwrap()), "2026-12-04T10:30Z");
    }

    #[test]
    fn numbers_in_messages() {
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(-1.5), "-1.5");
        assert_eq!(fmt_num(1.005), "1.005");
        assert_eq!(fmt_num(-0.0001), "0");
        assert_eq!(fmt_num(12_345.6), "12345.6");
    }

    #[test]
    fn integers_with_leading_zeros() {
        for (n, width) in [(0, 1), (7, 2), (42, 2), (5, 4), (-5, 4), (-12_345, 4), (2026, 4), (i64::MIN, 1)] {
            let mut s = String::new();
            push_int(&mut s, n, width);
            assert_eq!(s, format!("{n:0width$}"));
        }
    }

    #[test]
    fn unknown_fields_are_reported_with_their_path() {
        let v: Value = serde_json::from_str(r#"{"id":"x","colour":"red"}"#).unwrap();
        let mut r = Reader::default();
        let mut o = r.object("offers[0]", &v).unwrap();
        assert_eq!(o.req(&mut r, "id", Reader::id), Some("x".into()));
        o.finish(&mut r);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].path, "offers[0].colour");
        assert_eq!(r.problems[0].code, "unknown_field");
    }
}
