//! An offer's copy: title, body and call to action per locale, with optional variants,
//! compiled once at load and rendered with the firing trigger's evidence.
//!
//! ```json
//! "copy": {
//!   "en": { "title": "Out of reports", "body": "You hit the {limit}-report limit {count, plural, one {once} other {# times}} in {days} days.", "cta": "See Growth" },
//!   "de": { "title": "...", "body": "...", "cta": "..." }
//! },
//! "variants": { "short": { "en": { "title": "...", "body": "...", "cta": "..." } } }
//! ```

use super::Message;
use crate::read::Reader;
use crate::value::Value;

/// A compiled template and its source.
#[derive(Debug, Clone)]
pub struct Template {
    /// The ICU MessageFormat source, as written.
    pub source: String,
    /// The compiled message.
    pub message: Message,
}

impl PartialEq for Template {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

/// The texts of a prompt in one locale.
#[derive(Debug, Clone, PartialEq)]
pub struct CopySet {
    /// The heading.
    pub title: Template,
    /// The message naming the friction.
    pub body: Template,
    /// The self-serve call to action.
    pub cta: Template,
    /// The call to action for a user who cannot buy ("Ask your admin").
    pub ask_admin: Option<Template>,
    /// The call to action when sales or CS owns the ask ("Talk to us").
    pub talk_to_us: Option<Template>,
}

/// The field names of a [`CopySet`].
pub const COPY_FIELDS: &[&str] = &["title", "body", "cta", "ask_admin", "talk_to_us"];

impl CopySet {
    /// Every template with its field name.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &Template)> {
        [
            ("title", Some(&self.title)),
            ("body", Some(&self.body)),
            ("cta", Some(&self.cta)),
            ("ask_admin", self.ask_admin.as_ref()),
            ("talk_to_us", self.talk_to_us.as_ref()),
        ]
        .into_iter()
        .filter_map(|(n, t)| t.map(|t| (n, t)))
    }
}

/// Texts per locale: `(locale, texts)` pairs.
pub type LocaleSets = Vec<(String, CopySet)>;

/// Copy per locale: the control texts and the variants.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OfferCopy {
    /// `(locale, texts)` of the control copy.
    pub control: LocaleSets,
    /// `(variant id, [(locale, texts)])`.
    pub variants: Vec<(String, LocaleSets)>,
}

impl OfferCopy {
    /// The variant ids, control first (`"control"`).
    pub fn variant_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once("control").chain(self.variants.iter().map(|(id, _)| id.as_str()))
    }

    /// The id of variant `index`: `"control"` for 0 (and for an index past the variants).
    pub fn variant_id(&self, index: usize) -> &str {
        match index.checked_sub(1).and_then(|v| self.variants.get(v)) {
            Some((id, _)) => id,
            None => "control",
        }
    }

    /// The texts of variant `index` (0 = control) for the first locale of `chain` it has.
    pub fn pick(&self, index: usize, chain: &[String]) -> Option<(&str, &CopySet)> {
        let sets = if index == 0 { &self.control } else { &self.variants.get(index - 1)?.1 };
        chain
            .iter()
            .find_map(|want| sets.iter().find(|(l, _)| l.eq_ignore_ascii_case(want)).map(|(l, s)| (l.as_str(), s)))
    }

    /// Every `(json path, template)`, for checks at load.
    pub fn templates<'a>(&'a self, path: &'a str) -> impl Iterator<Item = (String, &'a Template)> + 'a {
        let control = self
            .control
            .iter()
            .flat_map(move |(l, s)| s.fields().map(move |(f, t)| (format!("{path}.copy.{l}.{f}"), t)));
        let variants = self.variants.iter().flat_map(move |(v, sets)| {
            sets.iter()
                .flat_map(move |(l, s)| s.fields().map(move |(f, t)| (format!("{path}.variants.{v}.{l}.{f}"), t)))
        });
        control.chain(variants)
    }
}

/// The fallback chain for a requested locale: `de-AT` → `de-AT`, `de`, then the playbook's locales.
pub fn locale_chain(requested: &str, playbook_locales: &[String]) -> Vec<String> {
    let mut chain: Vec<String> = Vec::new();
    let requested = requested.replace('_', "-");
    if !requested.is_empty() {
        // The tag, then each shorter prefix cut at a `-`: `de-AT-1996`, `de-AT`, `de`.
        chain.push(requested.clone());
        for (at, _) in requested.bytes().enumerate().rev().filter(|&(_, b)| b == b'-') {
            chain.push(requested.get(..at).unwrap_or_default().to_owned());
        }
    }
    for l in playbook_locales {
        if !chain.iter().any(|c| c.eq_ignore_ascii_case(l)) {
            chain.push(l.clone());
        }
    }
    chain
}

fn read_template(r: &mut Reader, path: &str, v: &Value) -> Option<Template> {
    let source = r.string(path, v)?;
    match Message::parse(&source) {
        Ok(message) => Some(Template { source, message }),
        Err(e) => {
            r.error(path, "bad_message", format!("ICU message syntax at character {}: {}", e.offset, e.reason));
            None
        }
    }
}

fn read_set(r: &mut Reader, path: &str, v: &Value) -> Option<CopySet> {
    let mut o = r.object(path, v)?;
    let title = o.req(r, "title", read_template);
    let body = o.req(r, "body", read_template);
    let cta = o.req(r, "cta", read_template);
    let ask_admin = o.opt(r, "ask_admin", read_template);
    let talk_to_us = o.opt(r, "talk_to_us", read_template);
    o.finish(r);
    Some(CopySet { title: title?, body: body?, cta: cta?, ask_admin, talk_to_us })
}

/// Reads `{ "<locale>": { title, body, cta, ... }, ... }`.
pub fn read_locales(r: &mut Reader, path: &str, v: &Value) -> Option<LocaleSets> {
    let mut o = r.object(path, v)?;
    let entries = o.entries();
    if entries.is_empty() {
        r.error(path, "missing_copy", "copy needs at least one locale");
    }
    Some(entries.iter().filter_map(|(locale, set)| Some((locale.clone(), read_set(r, &o.at(locale), set)?))).collect())
}

/// Reads `{ "<variant>": { "<locale>": {...} } }`.
pub fn read_variants(r: &mut Reader, path: &str, v: &Value) -> Option<Vec<(String, LocaleSets)>> {
    let mut o = r.object(path, v)?;
    Some(
        o.entries()
            .iter()
            .filter_map(|(id, sets)| {
                if id == "control" {
                    r.error(&o.at(id), "bad_variant", "`control` is the offer's own copy; name variants otherwise");
                    return None;
                }
                Some((id.clone(), read_locales(r, &o.at(id), sets)?))
            })
            .collect(),
    )
}
