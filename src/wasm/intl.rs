//! A [`Localizer`] on the browser's own `Intl`: every locale the platform knows works.
//!
//! Formatters are created once per locale and cached. A locale tag `Intl` refuses (a
//! `RangeError`) falls back to English instead of throwing.

use std::cell::{Ref, RefCell};

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
    fn new(locale: &str) -> Option<Formatters> {
        let percent = super::convert::parse(r#"{"style":"percent"}"#);
        Some(Formatters {
            locale: locale.to_owned(),
            plural: PluralRules::new(locale).ok()?,
            number: NumberFormat::new(locale, &JsValue::UNDEFINED).ok()?,
            percent: NumberFormat::new(locale, &percent).ok()?,
        })
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
    fn get(&self, locale: &str) -> Option<Ref<'_, Formatters>> {
        let at = {
            let mut cache = self.cache.try_borrow_mut().ok()?;
            match cache.iter().position(|x| x.locale == locale) {
                Some(i) => i,
                None => {
                    let mut made = Formatters::new(locale).or_else(|| Formatters::new("en"))?;
                    made.locale = locale.to_owned();
                    cache.push(made);
                    cache.len() - 1
                }
            }
        };
        Some(Ref::map(self.cache.try_borrow().ok()?, |c| &c[at]))
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
