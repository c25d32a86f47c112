//! Upgrade-prompt copy: a compiled ICU MessageFormat subset plus locale rules behind a trait.
//!
//! [`Message::parse`] compiles a source string such as
//! `"You've hit the report limit {count, plural, one {once} other {# times}} this month."` once;
//! [`Message::format`] then renders it for a locale with arguments looked up by name. Plural
//! categories and number formatting come from a [`Localizer`]: the browser build plugs in JS
//! `Intl`, native builds and tests use [`BuiltinLocalizer`].
//!
//! Output is plain text. Interpolated values are never re-parsed as syntax, and text arguments
//! are stripped of control and bidi-control characters and truncated, but nothing is
//! HTML-escaped: the default UI assigns the result to `textContent`. Anyone inserting the output
//! as HTML must escape it themselves.

mod locale;
mod message;
pub mod templates;

pub use locale::{BuiltinLocalizer, Localizer, PluralCategory};
pub use message::{Arg, Message, MessageError, MAX_TEXT_ARG_CHARS};
// For the compiled playbook codec (src/playbook/compiled.rs), which stores parsed messages.
pub(crate) use message::{NumberStyle, Part, Plural, Select};
pub use templates::{locale_chain, CopySet, OfferCopy, Template};

#[cfg(test)]
mod tests;
