//! The ICU MessageFormat subset: parsed and compiled once, then formatted many times.
//!
//! Supported: literal text; `{name}`; `{name, number}` with optional `integer` or `percent`
//! style; `{name, plural, [offset:N] =0 {…} one {…} other {…}}` with `#` for the formatted
//! number (minus the offset); `{name, select, key {…} other {…}}`; nesting; apostrophe quoting
//! as in ICU's DOUBLE_OPTIONAL mode (`''` is `'`; `'` starts a quote only before `{`, `}` or,
//! inside a plural, `#`; an unterminated quote runs to the end; any other `'` is literal).
//!
//! Not supported (rejected with an error): `date`, `time`, `spellout`, `ordinal`, `duration`,
//! `selectordinal`, number skeletons (`::…`) and other number styles, and rich-text tags are
//! treated as literal text. Argument names are letters, digits, `_`, `-` and `.`.

use super::locale::{write_plain, Localizer, PluralCategory};

/// At most this many characters of a text argument are inserted (after stripping controls).
pub const MAX_TEXT_ARG_CHARS: usize = 200;

/// How deeply arguments may nest before parsing fails (keeps recursion bounded).
const MAX_DEPTH: usize = 32;

/// A compiled message; build it with [`Message::parse`], render it with [`Message::format`].
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub(crate) parts: Vec<Part>,
}

/// Why a message source failed to parse.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageError {
    /// Offset of the problem in the source, in chars (not bytes).
    pub offset: usize,
    /// What is wrong, in words.
    pub reason: String,
}

impl std::fmt::Display for MessageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at char {})", self.reason, self.offset)
    }
}

impl std::error::Error for MessageError {}

/// An argument value supplied to [`Message::format`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// A number: formatted for the locale, and the only kind a plural can select on (text that
    /// is a plain decimal such as `"3"` or `"-1.5"` is accepted there too).
    Number(f64),
    /// Text: inserted literally, minus control and bidi-control characters, truncated to
    /// [`MAX_TEXT_ARG_CHARS`] chars.
    Text(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NumberStyle {
    Plain,
    Integer,
    Percent,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    Text(String),
    /// `#` inside a plural branch.
    Pound,
    Simple(String),
    Number(String, NumberStyle),
    Plural(Box<Plural>),
    Select(Box<Select>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plural {
    pub(crate) name: String,
    pub(crate) offset: f64,
    pub(crate) exact: Vec<(f64, Vec<Part>)>,
    pub(crate) categories: Vec<(PluralCategory, Vec<Part>)>,
    pub(crate) other: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Select {
    pub(crate) name: String,
    pub(crate) cases: Vec<(String, Vec<Part>)>,
    pub(crate) other: Vec<Part>,
}

impl Message {
    /// Parses and compiles ICU MessageFormat source once. Never panics; errors carry the char
    /// offset of the problem.
    pub fn parse(source: &str) -> Result<Message, MessageError> {
        let mut parser = Parser { chars: source.chars().collect(), pos: 0, depth: 0 };
        let parts = parser.parts(false, false)?;
        Ok(Message { parts })
    }

    /// Every argument name the message uses (simple, number, plural, select), deduplicated, in
    /// first-use order.
    pub fn variables(&self) -> Vec<&str> {
        let mut names = Vec::new();
        collect_names(&self.parts, &mut names);
        names
    }

    /// Formats with args looked up by name. A missing argument renders as an empty string
    /// (a missing plural or select argument renders the whole construct as empty). Never panics.
    pub fn format<'a>(
        &self,
        locale: &str,
        args: &dyn Fn(&str) -> Option<Arg<'a>>,
        localizer: &dyn Localizer,
    ) -> String {
        let ctx = Ctx { locale, args, localizer };
        let mut out = String::new();
        ctx.write(&self.parts, None, &mut out);
        out
    }
}

fn collect_names<'m>(parts: &'m [Part], names: &mut Vec<&'m str>) {
    let add = |name: &'m str, names: &mut Vec<&'m str>| {
        if !names.contains(&name) {
            names.push(name);
        }
    };
    for part in parts {
        match part {
            Part::Text(_) | Part::Pound => {}
            Part::Simple(name) | Part::Number(name, _) => add(name, names),
            Part::Plural(p) => {
                add(&p.name, names);
                for (_, branch) in &p.exact {
                    collect_names(branch, names);
                }
                for (_, branch) in &p.categories {
                    collect_names(branch, names);
                }
                collect_names(&p.other, names);
            }
            Part::Select(s) => {
                add(&s.name, names);
                for (_, branch) in &s.cases {
                    collect_names(branch, names);
                }
                collect_names(&s.other, names);
            }
        }
    }
}

struct Ctx<'c, 'a> {
    locale: &'c str,
    args: &'c dyn Fn(&str) -> Option<Arg<'a>>,
    localizer: &'c dyn Localizer,
}

impl Ctx<'_, '_> {
    /// `pound` is the value `#` stands for: that of the innermost enclosing plural.
    fn write(&self, parts: &[Part], pound: Option<f64>, out: &mut String) {
        for part in parts {
            // Every number written goes through the one `match style` below.
            let (n, style) = match part {
                Part::Text(text) => {
                    out.push_str(text);
                    continue;
                }
                Part::Pound => match pound {
                    Some(n) => (n, NumberStyle::Plain),
                    None => {
                        out.push('#');
                        continue;
                    }
                },
                Part::Simple(name) => match (self.args)(name) {
                    Some(Arg::Number(n)) => (n, NumberStyle::Plain),
                    Some(Arg::Text(text)) => {
                        push_sanitized(out, text);
                        continue;
                    }
                    None => continue,
                },
                Part::Number(name, style) => match (self.args)(name) {
                    Some(Arg::Number(n)) => (n, *style),
                    Some(Arg::Text(text)) => match parse_decimal(text) {
                        Some(n) => (n, *style),
                        None => {
                            push_sanitized(out, text);
                            continue;
                        }
                    },
                    None => continue,
                },
                Part::Plural(p) => {
                    let n = match (self.args)(&p.name) {
                        Some(Arg::Number(n)) => n,
                        Some(Arg::Text(text)) => match parse_decimal(text) {
                            Some(n) => n,
                            None => continue,
                        },
                        None => continue,
                    };
                    let shown = n - p.offset;
                    let branch = match p.exact.iter().find(|(value, _)| *value == n) {
                        Some((_, branch)) => branch,
                        None => {
                            let category = self.localizer.plural_category(self.locale, shown);
                            p.categories.iter().find(|(c, _)| *c == category).map_or(&p.other, |(_, branch)| branch)
                        }
                    };
                    self.write(branch, Some(shown), out);
                    continue;
                }
                Part::Select(s) => {
                    let mut number = String::new();
                    let key = match (self.args)(&s.name) {
                        Some(Arg::Text(text)) => text,
                        Some(Arg::Number(n)) => {
                            write_plain(&mut number, n, 3);
                            &number
                        }
                        None => continue,
                    };
                    let branch = s.cases.iter().find(|(k, _)| *k == key).map_or(&s.other, |(_, branch)| branch);
                    self.write(branch, pound, out);
                    continue;
                }
            };
            let formatted = match style {
                NumberStyle::Plain => self.localizer.format_number(self.locale, n),
                NumberStyle::Integer => self.localizer.format_number(self.locale, n.round()),
                NumberStyle::Percent => self.localizer.format_percent(self.locale, n),
            };
            out.push_str(&formatted);
        }
    }
}

/// Whether a char is dropped from text arguments: C0/C1 controls (including tab, newline and
/// DEL) and Unicode bidi controls (ALM, LRM, RLM, LRE–RLO, LRI–PDI).
fn is_stripped(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

fn push_sanitized(out: &mut String, text: &str) {
    out.extend(text.chars().filter(|&c| !is_stripped(c)).take(MAX_TEXT_ARG_CHARS));
}

/// Parses `[-+]digits[.digits]` (surrounding whitespace allowed) without float parsing code,
/// in one pass over the bytes.
fn parse_decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mut int, mut frac, mut scale) = (0u64, 0u64, 1u64);
    let (mut dot, mut digits) = (false, false);
    for b in body.bytes() {
        let d = u64::from(b.wrapping_sub(b'0'));
        match b {
            b'.' if !dot => dot = true,
            // `int * 10 + d` unless it overflows, checked by division: `checked_mul` on a u64
            // brings 128-bit multiplication into the wasm.
            b'0'..=b'9' if !dot && int <= (u64::MAX - d) / 10 => int = int * 10 + d,
            b'0'..=b'9' if !dot => return None,
            // Up to 15 fraction digits count; the rest are only checked.
            b'0'..=b'9' if scale < 1_000_000_000_000_000 => (frac, scale) = (frac * 10 + d, scale * 10),
            b'0'..=b'9' => {}
            _ => return None,
        }
        digits |= b != b'.';
    }
    if !digits {
        return None;
    }
    // One correctly rounded division when the scaled value is exact in a double.
    // (`int * scale + frac < 2^53`, tested without overflow: `frac < scale <= 10^15`.)
    let value = if int <= ((1u64 << 53) - 1 - frac) / scale {
        (int * scale + frac) as f64 / scale as f64
    } else {
        int as f64 + frac as f64 / scale as f64
    };
    Some(if negative { -value } else { value })
}

fn err(offset: usize, reason: impl Into<String>) -> MessageError {
    MessageError { offset, reason: reason.into() }
}

fn unclosed(open: usize) -> MessageError {
    err(open, "unclosed `{`: missing `}`")
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-')
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn word(&mut self, pred: fn(char) -> bool) -> String {
        let start = self.pos;
        while self.peek().is_some_and(pred) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn starts_with(&self, s: &str) -> bool {
        let mut rest = self.chars.get(self.pos..).unwrap_or(&[]).iter();
        s.chars().all(|c| rest.next() == Some(&c))
    }

    /// Text and arguments up to the end of input or, when `nested`, an unconsumed `}`.
    fn parts(&mut self, in_plural: bool, nested: bool) -> Result<Vec<Part>, MessageError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            match c {
                '\'' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\'') => {
                            text.push('\'');
                            self.pos += 1;
                        }
                        Some('{' | '}') => self.quoted(&mut text),
                        Some('#') if in_plural => self.quoted(&mut text),
                        _ => text.push('\''),
                    }
                }
                '{' => {
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(self.argument(in_plural)?);
                }
                '}' if nested => break,
                '}' => return Err(err(self.pos, "unmatched `}`: quote it as '}' to show it")),
                '#' if in_plural => {
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Pound);
                    self.pos += 1;
                }
                _ => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(parts)
    }

    /// Quoted literal text after an opening `'`; `''` inside is one `'`. Runs to the end of the
    /// source if the quote is never closed (as ICU does).
    fn quoted(&mut self, text: &mut String) {
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == '\'' {
                if self.peek() == Some('\'') {
                    text.push('\'');
                    self.pos += 1;
                } else {
                    return;
                }
            } else {
                text.push(c);
            }
        }
    }

    /// An argument starting at the `{` under the cursor.
    fn argument(&mut self, in_plural: bool) -> Result<Part, MessageError> {
        let open = self.pos;
        if self.depth >= MAX_DEPTH {
            return Err(err(open, "arguments are nested too deeply"));
        }
        self.depth += 1;
        self.pos += 1;
        self.skip_ws();
        let name_start = self.pos;
        let name = self.word(is_name_char);
        if name.is_empty() {
            return Err(match self.peek() {
                None => unclosed(open),
                Some('}' | ',') => err(name_start, "empty argument name"),
                Some(c) => err(name_start, format!("invalid character `{c}` in argument name")),
            });
        }
        self.skip_ws();
        match self.peek() {
            None => return Err(unclosed(open)),
            Some('}') => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Part::Simple(name));
            }
            Some(',') => self.pos += 1,
            Some(c) => return Err(err(self.pos, format!("invalid character `{c}` in argument name `{name}`"))),
        }
        self.skip_ws();
        let kind_start = self.pos;
        let kind = self.word(|c| c.is_alphanumeric() || c == '_');
        self.skip_ws();
        let part = match kind.as_str() {
            "number" => Part::Number(name, self.number_style(open)?),
            "plural" => {
                self.expect_comma(open, "plural")?;
                Part::Plural(Box::new(self.plural(name, open)?))
            }
            "select" => {
                self.expect_comma(open, "select")?;
                Part::Select(Box::new(self.select(name, open, in_plural)?))
            }
            "" if self.peek().is_none() => return Err(unclosed(open)),
            "" => return Err(err(kind_start, "expected an argument type: number, plural or select")),
            other => {
                return Err(err(
                    kind_start,
                    format!("unsupported argument type `{other}`: only number, plural and select are supported"),
                ))
            }
        };
        self.depth -= 1;
        Ok(part)
    }

    fn expect_comma(&mut self, open: usize, kind: &str) -> Result<(), MessageError> {
        match self.peek() {
            Some(',') => {
                self.pos += 1;
                Ok(())
            }
            None => Err(unclosed(open)),
            Some(_) => Err(err(self.pos, format!("expected `,` after `{kind}`"))),
        }
    }

    /// After `number`: `}` or `, integer}` or `, percent}`; consumes the closing `}`.
    fn number_style(&mut self, open: usize) -> Result<NumberStyle, MessageError> {
        match self.peek() {
            None => return Err(unclosed(open)),
            Some('}') => {
                self.pos += 1;
                return Ok(NumberStyle::Plain);
            }
            Some(',') => self.pos += 1,
            Some(_) => return Err(err(self.pos, "expected `,` or `}` after `number`")),
        }
        self.skip_ws();
        let style_start = self.pos;
        let mut style = String::new();
        while let Some(c) = self.peek() {
            if c == '}' {
                break;
            }
            style.push(c);
            self.pos += 1;
        }
        if self.peek().is_none() {
            return Err(unclosed(open));
        }
        self.pos += 1;
        match style.trim_end() {
            "integer" => Ok(NumberStyle::Integer),
            "percent" => Ok(NumberStyle::Percent),
            "" => Err(err(style_start, "expected a number style: integer or percent")),
            other => Err(err(
                style_start,
                format!("unsupported number style `{other}`: only integer and percent are supported"),
            )),
        }
    }

    /// A `{`-delimited branch after a selector; consumes both braces.
    fn branch(&mut self, open: usize, selector: &str, in_plural: bool) -> Result<Vec<Part>, MessageError> {
        self.skip_ws();
        match self.peek() {
            Some('{') => {}
            None => return Err(unclosed(open)),
            Some(_) => return Err(err(self.pos, format!("expected `{{` to open the branch for `{selector}`"))),
        }
        let branch_open = self.pos;
        self.pos += 1;
        let parts = self.parts(in_plural, true)?;
        if self.peek() != Some('}') {
            return Err(unclosed(branch_open));
        }
        self.pos += 1;
        Ok(parts)
    }

    fn plural(&mut self, name: String, open: usize) -> Result<Plural, MessageError> {
        self.skip_ws();
        let mut offset = 0.0;
        if self.starts_with("offset:") {
            self.pos += "offset:".len();
            self.skip_ws();
            let offset_start = self.pos;
            let digits = self.word(|c| c.is_ascii_digit());
            let valid =
                !digits.is_empty() && digits.len() <= 15 && !self.peek().is_some_and(|c| is_name_char(c) || c == '{');
            if !valid {
                return Err(err(
                    offset_start,
                    "invalid plural offset: expected a non-negative integer after `offset:`",
                ));
            }
            offset = parse_decimal(&digits).unwrap_or(0.0);
        }
        let mut plural = Plural { name, offset, exact: Vec::new(), categories: Vec::new(), other: Vec::new() };
        let mut has_other = false;
        loop {
            self.skip_ws();
            let selector_start = self.pos;
            match self.peek() {
                None => return Err(unclosed(open)),
                Some('}') => {
                    self.pos += 1;
                    break;
                }
                Some('=') => {
                    self.pos += 1;
                    let literal = self.word(|c| c.is_ascii_digit() || c == '.' || c == '-');
                    let selector = format!("={literal}");
                    let Some(value) = parse_decimal(&literal) else {
                        return Err(err(
                            selector_start,
                            format!("invalid explicit selector `{selector}`: expected a number such as =0"),
                        ));
                    };
                    if plural.exact.iter().any(|(v, _)| *v == value) {
                        return Err(duplicate(selector_start, &selector));
                    }
                    let branch = self.branch(open, &selector, true)?;
                    plural.exact.push((value, branch));
                }
                Some(_) => {
                    let keyword = self.word(is_key_char);
                    if keyword.is_empty() {
                        return Err(err(
                            selector_start,
                            "expected a plural selector: zero, one, two, few, many, other or =N",
                        ));
                    }
                    let Some(category) = PluralCategory::from_keyword(&keyword) else {
                        return Err(err(
                            selector_start,
                            format!(
                                "unknown plural category `{keyword}`: expected zero, one, two, few, many, other or =N"
                            ),
                        ));
                    };
                    let seen = if category == PluralCategory::Other {
                        has_other
                    } else {
                        plural.categories.iter().any(|(c, _)| *c == category)
                    };
                    if seen {
                        return Err(duplicate(selector_start, &keyword));
                    }
                    let branch = self.branch(open, &keyword, true)?;
                    if category == PluralCategory::Other {
                        plural.other = branch;
                        has_other = true;
                    } else {
                        plural.categories.push((category, branch));
                    }
                }
            }
        }
        if !has_other {
            return Err(err(open, format!("plural argument `{}` needs an `other` branch", plural.name)));
        }
        Ok(plural)
    }

    fn select(&mut self, name: String, open: usize, in_plural: bool) -> Result<Select, MessageError> {
        let mut select = Select { name, cases: Vec::new(), other: Vec::new() };
        let mut has_other = false;
        loop {
            self.skip_ws();
            let key_start = self.pos;
            match self.peek() {
                None => return Err(unclosed(open)),
                Some('}') => {
                    self.pos += 1;
                    break;
                }
                Some(_) => {
                    let key = self.word(is_key_char);
                    if key.is_empty() {
                        return Err(err(key_start, "expected a select key (letters, digits, `_` or `-`)"));
                    }
                    let seen = if key == "other" { has_other } else { select.cases.iter().any(|(k, _)| *k == key) };
                    if seen {
                        return Err(duplicate(key_start, &key));
                    }
                    let branch = self.branch(open, &key, in_plural)?;
                    if key == "other" {
                        select.other = branch;
                        has_other = true;
                    } else {
                        select.cases.push((key, branch));
                    }
                }
            }
        }
        if !has_other {
            return Err(err(open, format!("select argument `{}` needs an `other` branch", select.name)));
        }
        Ok(select)
    }
}

fn duplicate(offset: usize, selector: &str) -> MessageError {
    err(offset, format!("duplicate selector `{selector}`"))
}
