//! A [`Localizer`] on the browser's own `Intl`: every locale the platform knows works.
//!
//! Formatters are created once per locale and cached. A locale tag `Intl` refuses (a
//! `RangeError`) falls back to English instead of throwing.

use std::cell::{RefCell, RefMut};

use wasm_bindgen::prelude::*;

use crate::copy::{Localizer, PluralCategory};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl, js_name = PluralRules)]
    type PluralRules;
    #[wasm_bindgen(catch, constructor, js_namespace = Intl, js_class = PluralRules)]
    fn new(locale: &str) -> Result<PluralRules, JsValue>;
    #[wasm_bindgen(method)]
    fn select(this: &PluralRules, n: f64) -> String;

    #[wasm_bindgen(js_namespace = Intl, js_name = NumberFormat)]
    type NumberFormat;
    #[wasm_bindgen(catch, constructor, js_namespace = Intl, js_class = NumberFormat)]
    fn new(locale: &str, options: &JsValue) -> Result<NumberFormat, JsValue>;
    #[wasm_bindgen(method)]
    fn format(this: &NumberFormat, n: f64) -> String;
}

struct Formatters {
    locale: String,
    plural: PluralRules,
    number: NumberFormat,
    percent: NumberFormat,
}

impl Formatters {
    /// The formatters of `locale`, or of English where `Intl` refuses the tag.
    fn new(locale: &str) -> Option<Formatters> {
        let options = super::convert::parse(r#"{"style":"percent"}"#);
        let (plural, number, percent) = [locale, "en"].into_iter().find_map(|tag| {
            Some((
                PluralRules::new(tag).ok()?,
                NumberFormat::new(tag, &JsValue::UNDEFINED).ok()?,
                NumberFormat::new(tag, &options).ok()?,
            ))
        })?;
        Some(Formatters { locale: locale.to_owned(), plural, number, percent })
    }
}

/// Plural categories and number formatting from `Intl.PluralRules` and `Intl.NumberFormat`.
#[derive(Default)]
pub struct IntlLocalizer {
    cache: RefCell<Vec<Formatters>>,
}

impl IntlLocalizer {
    /// The formatters of `locale`, made and cached on first use (English where `Intl` refuses
    /// the tag). Not generic, so the three `Localizer` methods share it.
    fn get(&self, locale: &str) -> Option<RefMut<'_, Formatters>> {
        let mut cache = self.cache.try_borrow_mut().ok()?;
        let at = match cache.iter().position(|x| x.locale == locale) {
            Some(i) => i,
            None => {
                cache.push(Formatters::new(locale)?);
                cache.len() - 1
            }
        };
        RefMut::filter_map(cache, |c| c.get_mut(at)).ok()
    }

    /// `n` formatted as a number or a percentage, for the two `Localizer` methods.
    fn format(&self, locale: &str, n: f64, percent: bool) -> String {
        self.get(locale).map(|x| if percent { &x.percent } else { &x.number }.format(n)).unwrap_or_default()
    }
}

impl Localizer for IntlLocalizer {
    fn plural_category(&self, locale: &str, n: f64) -> PluralCategory {
        self.get(locale)
            .and_then(|x| PluralCategory::from_keyword(&x.plural.select(n)))
            .unwrap_or(PluralCategory::Other)
    }

    fn format_number(&self, locale: &str, n: f64) -> String {
        self.format(locale, n, false)
    }

    fn format_percent(&self, locale: &str, n: f64) -> String {
        self.format(locale, n, true)
    }
}
