//! Data-driven tests for the copy module.

use super::*;

use Arg::{Number as N, Text as T};

type Args = &'static [(&'static str, Arg<'static>)];

/// `[name, source, locale, args, expected]`. An expected value of the form `ERR@<offset>:<text>`
/// means parsing must fail at that char offset with a reason containing `<text>`.
const CASES: &[(&str, &str, &str, Args, &str)] = &[
    // --- literal text, simple arguments
    ("literal", "Upgrade to Pro", "en", &[], "Upgrade to Pro"),
    ("empty", "", "en", &[], ""),
    ("simple text", "Hi {name}!", "en", &[("name", T("Ada"))], "Hi Ada!"),
    ("simple spaces", "Hi { name }!", "en", &[("name", T("Ada"))], "Hi Ada!"),
    ("simple number", "{n} seats", "en", &[("n", N(1234.5))], "1,234.5 seats"),
    ("missing arg", "Hi {name}!", "en", &[], "Hi !"),
    ("repeated arg", "{a}-{a}", "en", &[("a", T("x"))], "x-x"),
    ("hash outside plural", "#1 plan", "en", &[], "#1 plan"),
    // --- number styles
    ("number", "{n, number}", "en", &[("n", N(1234.5678))], "1,234.568"),
    ("number integer", "{n, number, integer}", "en", &[("n", N(2.5))], "3"),
    ("number integer neg", "{n,number,integer}", "en", &[("n", N(-2.5))], "-3"),
    ("number percent", "{n, number, percent}", "en", &[("n", N(0.256))], "26%"),
    ("percent half", "{n, number, percent}", "en", &[("n", N(0.285))], "29%"),
    ("percent de", "{n, number, percent}", "de", &[("n", N(0.5))], "50\u{a0}%"),
    ("percent fr", "{n, number, percent}", "fr", &[("n", N(12.34))], "1\u{202f}234\u{202f}%"),
    ("percent ru", "{n, number, percent}", "ru", &[("n", N(0.5))], "50\u{a0}%"),
    ("percent ar", "{n, number, percent}", "ar", &[("n", N(0.26))], "٢٦٪\u{61c}"),
    ("number text arg", "{n, number}", "de", &[("n", T("1234.5"))], "1.234,5"),
    ("number non-numeric text", "{n, number}", "en", &[("n", T("lots"))], "lots"),
    ("number missing", "[{n, number}]", "en", &[], "[]"),
    // --- number formatting per locale
    ("fmt en", "{n}", "en-US", &[("n", N(1234.5))], "1,234.5"),
    ("fmt de", "{n}", "de-AT", &[("n", N(1234.5))], "1.234,5"),
    ("fmt fr", "{n}", "fr", &[("n", N(1234.5))], "1\u{202f}234,5"),
    ("fmt ru", "{n}", "ru", &[("n", N(1234.5))], "1\u{a0}234,5"),
    ("fmt ja", "{n}", "ja-JP", &[("n", N(1234.5))], "1,234.5"),
    ("fmt ar", "{n}", "ar", &[("n", N(1234.5))], "١٬٢٣٤٫٥"),
    ("fmt ar neg", "{n}", "ar-EG", &[("n", N(-7.0))], "\u{61c}-٧"),
    ("fmt unknown", "{n}", "xx", &[("n", N(1234.5))], "1,234.5"),
    ("fmt posix tag", "{n}", "de_DE", &[("n", N(1234.5))], "1.234,5"),
    ("fmt neg", "{n}", "en", &[("n", N(-1234567.25))], "-1,234,567.25"),
    ("fmt round 3", "{n}", "en", &[("n", N(0.0005))], "0.001"),
    ("fmt round down", "{n}", "en", &[("n", N(1.23449))], "1.234"),
    ("fmt round up carry", "{n}", "en", &[("n", N(999.9999))], "1,000"),
    ("fmt tiny neg", "{n}", "en", &[("n", N(-0.0001))], "-0"),
    ("fmt zero", "{n}", "en", &[("n", N(0.0))], "0"),
    ("fmt frac pad", "{n}", "en", &[("n", N(1.05))], "1.05"),
    ("fmt big", "{n}", "en", &[("n", N(1e21))], "1,000,000,000,000,000,000,000"),
    ("fmt 2^53", "{n}", "en", &[("n", N(9007199254740993.0))], "9,007,199,254,740,992"),
    ("fmt nan", "{n}", "en", &[("n", N(f64::NAN))], "NaN"),
    ("fmt inf", "{n}", "de", &[("n", N(f64::NEG_INFINITY))], "-∞"),
    // --- plural, en
    ("en 0", "{n, plural, one {# item} other {# items}}", "en", &[("n", N(0.0))], "0 items"),
    ("en 1", "{n, plural, one {# item} other {# items}}", "en", &[("n", N(1.0))], "1 item"),
    ("en 1.5", "{n, plural, one {# item} other {# items}}", "en", &[("n", N(1.5))], "1.5 items"),
    ("en 1000", "{n, plural, one {# item} other {# items}}", "en", &[("n", N(1000.0))], "1,000 items"),
    ("en 1.0001 rounds", "{n, plural, one {# item} other {# items}}", "en", &[("n", N(1.0001))], "1 item"),
    ("brief example", "You've hit the report limit {count, plural, one {once} other {# times}} this month.", "en", &[("count", N(3.0))], "You've hit the report limit 3 times this month."),
    ("brief example one", "You've hit the report limit {count, plural, one {once} other {# times}} this month.", "en", &[("count", N(1.0))], "You've hit the report limit once this month."),
    ("exact beats category", "{n, plural, =0 {none} =1 {just one} one {#} other {#}}", "en", &[("n", N(1.0))], "just one"),
    ("exact zero", "{n, plural, =0 {none} other {#}}", "en", &[("n", N(0.0))], "none"),
    ("exact decimal", "{n, plural, =1.5 {one and a half} other {#}}", "en", &[("n", N(1.5))], "one and a half"),
    ("plural text arg", "{n, plural, one {# seat} other {# seats}}", "en", &[("n", T("1"))], "1 seat"),
    ("plural missing", "[{n, plural, one {a} other {b}}]", "en", &[], "[]"),
    ("plural non-numeric text", "[{n, plural, one {a} other {b}}]", "en", &[("n", T("x"))], "[]"),
    ("offset", "{n, plural, offset:1 =0 {nobody} =1 {{who}} one {{who} and # other} other {{who} and # others}}", "en", &[("n", N(2.0)), ("who", T("Ann"))], "Ann and 1 other"),
    ("offset many", "{n, plural, offset: 1 =0 {nobody} =1 {{who}} one {{who} and # other} other {{who} and # others}}", "en", &[("n", N(4.0)), ("who", T("Ann"))], "Ann and 3 others"),
    ("offset exact", "{n, plural, offset:1 =1 {only {who}} other {#}}", "en", &[("n", N(1.0)), ("who", T("Ann"))], "only Ann"),
    ("pound localized", "{n, plural, other {# Berichte}}", "de", &[("n", N(1234.0))], "1.234 Berichte"),
    // --- plural, other locales
    ("de 1", "{n, plural, one {# Bericht} other {# Berichte}}", "de", &[("n", N(1.0))], "1 Bericht"),
    ("de 2", "{n, plural, one {# Bericht} other {# Berichte}}", "de", &[("n", N(2.0))], "2 Berichte"),
    ("fr 0", "{n, plural, one {# rapport} many {# de rapports} other {# rapports}}", "fr", &[("n", N(0.0))], "0 rapport"),
    ("fr 1", "{n, plural, one {# rapport} many {# de rapports} other {# rapports}}", "fr", &[("n", N(1.0))], "1 rapport"),
    ("fr 1.5", "{n, plural, one {# rapport} many {# de rapports} other {# rapports}}", "fr", &[("n", N(1.5))], "1,5 rapport"),
    ("fr 2", "{n, plural, one {# rapport} many {# de rapports} other {# rapports}}", "fr", &[("n", N(2.0))], "2 rapports"),
    ("fr 1e6", "{n, plural, one {# rapport} many {# de rapports} other {# rapports}}", "fr", &[("n", N(1e6))], "1\u{202f}000\u{202f}000 de rapports"),
    ("fr 1000001", "{n, plural, one {a} many {b} other {c}}", "fr", &[("n", N(1000001.0))], "c"),
    ("ru 1", RU, "ru", &[("n", N(1.0))], "one"),
    ("ru 2", RU, "ru", &[("n", N(2.0))], "few"),
    ("ru 5", RU, "ru", &[("n", N(5.0))], "many"),
    ("ru 11", RU, "ru", &[("n", N(11.0))], "many"),
    ("ru 12", RU, "ru", &[("n", N(12.0))], "many"),
    ("ru 21", RU, "ru", &[("n", N(21.0))], "one"),
    ("ru 22", RU, "ru", &[("n", N(22.0))], "few"),
    ("ru 25", RU, "ru", &[("n", N(25.0))], "many"),
    ("ru 0", RU, "ru", &[("n", N(0.0))], "many"),
    ("ru 111", RU, "ru", &[("n", N(111.0))], "many"),
    ("ru 1.5", RU, "ru", &[("n", N(1.5))], "other"),
    ("ru -1", RU, "ru", &[("n", N(-1.0))], "one"),
    ("ar 0", AR, "ar", &[("n", N(0.0))], "zero"),
    ("ar 1", AR, "ar", &[("n", N(1.0))], "one"),
    ("ar 2", AR, "ar", &[("n", N(2.0))], "two"),
    ("ar 3", AR, "ar", &[("n", N(3.0))], "few"),
    ("ar 10", AR, "ar", &[("n", N(10.0))], "few"),
    ("ar 11", AR, "ar", &[("n", N(11.0))], "many"),
    ("ar 99", AR, "ar", &[("n", N(99.0))], "many"),
    ("ar 100", AR, "ar", &[("n", N(100.0))], "other"),
    ("ar 103", AR, "ar", &[("n", N(103.0))], "few"),
    ("ar 1.5", AR, "ar", &[("n", N(1.5))], "other"),
    ("ar pound", "{n, plural, other {# تقارير}}", "ar", &[("n", N(11.0))], "١١ تقارير"),
    ("ja 1", "{n, plural, one {one} other {other #}}", "ja", &[("n", N(1.0))], "other 1"),
    ("unknown locale 1", "{n, plural, one {one} other {other}}", "tlh", &[("n", N(1.0))], "one"),
    // --- select and nesting
    ("select", "{plan, select, pro {Pro} team {Team} other {Free}}", "en", &[("plan", T("team"))], "Team"),
    ("select other", "{plan, select, pro {Pro} other {Free}}", "en", &[("plan", T("enterprise"))], "Free"),
    ("select missing", "[{plan, select, pro {Pro} other {Free}}]", "en", &[], "[]"),
    ("select number key", "{n, select, 3 {three} other {?}}", "en", &[("n", N(3.0))], "three"),
    ("select in plural", "{n, plural, one {{g, select, f {her} other {their}} # report} other {{g, select, f {her} other {their}} # reports}}", "en", &[("n", N(5.0)), ("g", T("f"))], "her 5 reports"),
    ("pound in select in plural", "{n, plural, other {{g, select, other {# left}}}}", "en", &[("n", N(7.0)), ("g", T("x"))], "7 left"),
    ("plural in select", "{plan, select, pro {{n, plural, one {# seat} other {# seats}}} other {no seats}}", "en", &[("plan", T("pro")), ("n", N(1.0))], "1 seat"),
    ("inner plural pound", "{a, plural, other {{b, plural, other {#}}/#}}", "en", &[("a", N(1.0)), ("b", N(2.0))], "2/1"),
    // --- apostrophe quoting
    ("double apostrophe", "It''s {n}", "en", &[("n", N(1.0))], "It's 1"),
    ("lone apostrophe", "You've got {n}", "en", &[("n", N(1.0))], "You've got 1"),
    ("quoted brace", "'{literal}' {n}", "en", &[("n", N(1.0))], "{literal} 1"),
    ("quoted close", "a '}' b", "en", &[], "a } b"),
    ("quoted with escaped apostrophe", "'{it''s}'", "en", &[], "{it's}"),
    ("unterminated quote", "x '{y", "en", &[], "x {y"),
    ("quoted hash in plural", "{n, plural, other {'#' #}}", "en", &[("n", N(4.0))], "# 4"),
    ("apostrophe hash outside plural", "'#", "en", &[], "'#"),
    ("trailing apostrophe", "end'", "en", &[], "end'"),
    // --- escaping of interpolated values
    ("arg not reparsed", "Hi {name}", "en", &[("name", T("{x, plural, other {#}} '{'"))], "Hi {x, plural, other {#}} '{'"),
    ("arg html untouched", "{name}", "en", &[("name", T("<b>&amp;</b>"))], "<b>&amp;</b>"),
    ("strip c0 c1", "{name}", "en", &[("name", T("a\u{0}b\u{1b}[31mc\nd\u{85}e\u{7f}"))], "ab[31mcde"),
    ("strip bidi", "{name}", "en", &[("name", T("\u{202e}evil\u{202c}\u{2066}x\u{2069}\u{200e}\u{200f}\u{61c}"))], "evilx"),
    ("keep normal unicode", "{name}", "en", &[("name", T("Zoë 🚀 日本"))], "Zoë 🚀 日本"),
    ("truncate 200", "[{s}]", "en", &[("s", T(LONG))], LONG_200),
    // --- errors
    ("err unclosed", "Hi {name", "en", &[], "ERR@3:unclosed"),
    ("err unclosed bare", "Hi {", "en", &[], "ERR@3:unclosed"),
    ("err unclosed branch", "{n, plural, other {x", "en", &[], "ERR@18:unclosed"),
    ("err unclosed plural", "{n, plural, other {x}", "en", &[], "ERR@0:unclosed"),
    ("err stray close", "a } b", "en", &[], "ERR@2:unmatched `}`"),
    ("err empty name", "a {} b", "en", &[], "ERR@3:empty argument name"),
    ("err empty name comma", "{ , number}", "en", &[], "ERR@2:empty argument name"),
    ("err invalid name", "{na me}", "en", &[], "ERR@4:invalid character `m`"),
    ("err invalid name char", "{#}", "en", &[], "ERR@1:invalid character `#`"),
    ("err date", "Due {d, date}", "en", &[], "ERR@8:only number, plural and select are supported"),
    ("err selectordinal", "{n, selectordinal, other {#}}", "en", &[], "ERR@4:unsupported argument type `selectordinal`"),
    ("err missing type", "{n, }", "en", &[], "ERR@4:expected an argument type"),
    ("err number style", "{n, number, currency}", "en", &[], "ERR@12:unsupported number style `currency`"),
    ("err number skeleton", "{n, number, ::percent}", "en", &[], "ERR@12:unsupported number style"),
    ("err plural no other", "{n, plural, one {x}}", "en", &[], "ERR@0:needs an `other` branch"),
    ("err select no other", "a {g, select, f {x}}", "en", &[], "ERR@2:select argument `g` needs an `other`"),
    ("err unknown category", "{n, plural, single {x} other {y}}", "en", &[], "ERR@12:unknown plural category `single`"),
    ("err duplicate category", "{n, plural, one {x} one {y} other {z}}", "en", &[], "ERR@20:duplicate selector `one`"),
    ("err duplicate exact", "{n, plural, =1 {x} =1 {y} other {z}}", "en", &[], "ERR@19:duplicate selector `=1`"),
    ("err duplicate other", "{g, select, other {x} other {y}}", "en", &[], "ERR@22:duplicate selector `other`"),
    ("err duplicate select key", "{g, select, a {x} a {y} other {z}}", "en", &[], "ERR@18:duplicate selector `a`"),
    ("err bad exact", "{n, plural, =x {y} other {z}}", "en", &[], "ERR@12:invalid explicit selector"),
    ("err bad offset", "{n, plural, offset:x other {z}}", "en", &[], "ERR@19:invalid plural offset"),
    ("err negative offset", "{n, plural, offset:-1 other {z}}", "en", &[], "ERR@19:invalid plural offset"),
    ("err missing branch brace", "{n, plural, other x}", "en", &[], "ERR@18:expected `{`"),
    ("err plural missing comma", "{n, plural other {x}}", "en", &[], "ERR@11:expected `,` after `plural`"),
    ("err nested error offset", "{g, select, other {{n, plural, one {x}}}}", "en", &[], "ERR@19:needs an `other`"),
    ("err char offsets not bytes", "Grüße {", "en", &[], "ERR@6:unclosed"),
];

const RU: &str = "{n, plural, one {one} few {few} many {many} other {other}}";
const AR: &str = "{n, plural, zero {zero} one {one} two {two} few {few} many {many} other {other}}";
const LONG: &str =
    "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\
0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789TAIL";
const LONG_200: &str =
    "[0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\
0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789]";

fn lookup(args: Args) -> impl Fn(&str) -> Option<Arg<'static>> {
    move |name| args.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
}

#[test]
fn table() {
    let mut failures = Vec::new();
    for &(name, source, locale, args, expected) in CASES {
        let got = match Message::parse(source) {
            Ok(message) => message.format(locale, &lookup(args), &BuiltinLocalizer),
            Err(e) => format!("ERR@{}:{}", e.offset, e.reason),
        };
        let ok = match expected.strip_prefix("ERR@") {
            Some(rest) => {
                let (offset, reason) = rest.split_once(':').unwrap();
                got.starts_with(&format!("ERR@{offset}:")) && got.contains(reason)
            }
            None => got == expected,
        };
        if !ok {
            failures.push(format!("{name}: {source:?}\n   expected {expected:?}\n   got      {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failing:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn variables_in_first_use_order() {
    let m = Message::parse(
        "{who} {n, plural, one {{plan, select, pro {{who}} other {{limit, number}}}} other {{extra}}} {n}",
    )
    .unwrap();
    assert_eq!(m.variables(), ["who", "n", "plan", "limit", "extra"]);
    assert!(Message::parse("plain").unwrap().variables().is_empty());
}

#[test]
fn borrowed_args_work() {
    let names: Vec<(String, String)> = vec![("name".into(), "Ada".into())];
    let m = Message::parse("Hi {name}").unwrap();
    let out = m.format("en", &|key| names.iter().find(|(k, _)| k == key).map(|(_, v)| Arg::Text(v)), &BuiltinLocalizer);
    assert_eq!(out, "Hi Ada");
}

#[test]
fn default_percent_uses_format_number() {
    struct Plain;
    impl Localizer for Plain {
        fn plural_category(&self, _: &str, _: f64) -> PluralCategory {
            PluralCategory::Other
        }
        fn format_number(&self, locale: &str, n: f64) -> String {
            BuiltinLocalizer.format_number(locale, n)
        }
    }
    let m = Message::parse("{n, number, percent}").unwrap();
    assert_eq!(m.format("de", &lookup(&[("n", N(0.256))]), &Plain), "26%");
}

#[test]
fn error_display_and_keywords() {
    let e = Message::parse("{").unwrap_err();
    assert_eq!(e.to_string(), "unclosed `{`: missing `}` (at char 0)");
    for c in [
        PluralCategory::Zero,
        PluralCategory::One,
        PluralCategory::Two,
        PluralCategory::Few,
        PluralCategory::Many,
        PluralCategory::Other,
    ] {
        assert_eq!(PluralCategory::from_keyword(c.keyword()), Some(c));
    }
    assert_eq!(PluralCategory::from_keyword("lots"), None);
}

#[test]
fn extreme_numbers_do_not_panic() {
    let m = Message::parse(
        "{n} {n, number, integer} {n, number, percent} {n, plural, =0 {z} one {#} other {#}} {n, select, other {x}}",
    )
    .unwrap();
    let values = [
        0.0,
        -0.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        5e-324,
        4503599627370495.5,
        4503599627370496.0,
        18446744073709551615.0,
        1e300,
    ];
    for locale in ["en", "de", "fr", "ru", "ar", "ja", "", "-", "_x", "ÄÖ"] {
        for n in values {
            let out = m.format(locale, &lookup(&[]), &BuiltinLocalizer);
            assert_eq!(out, "    ");
            let _ = m.format(locale, &|_| Some(Arg::Number(n)), &BuiltinLocalizer);
        }
    }
    assert_eq!(BuiltinLocalizer.format_number("en", f64::MAX).len(), 309 + 102);
}

/// Tiny deterministic PRNG so the fuzz test needs no dependencies.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn parse_never_panics() {
    let valid: Vec<&str> = CASES.iter().map(|c| c.1).collect();
    let mut inputs: Vec<String> = Vec::new();
    for source in &valid {
        let chars: Vec<char> = source.chars().collect();
        for i in 0..=chars.len() {
            inputs.push(chars[..i].iter().collect());
            inputs.push(chars[i..].iter().collect());
            if i < chars.len() {
                let mut removed = chars.clone();
                removed.remove(i);
                inputs.push(removed.into_iter().collect());
            }
        }
    }
    let alphabet: Vec<char> =
        "{}{}{}'''##,,, =:a1one other plural select number offset:2 é日\u{202e}\0-.".chars().collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..20_000 {
        let len = (next(&mut state) % 40) as usize;
        let s: String = (0..len).map(|_| alphabet[(next(&mut state) % alphabet.len() as u64) as usize]).collect();
        inputs.push(s);
    }
    inputs.push("{a, select, other {".repeat(10_000));
    inputs.push("{".repeat(100_000));
    inputs.push("'".repeat(1000));
    let args = |name: &str| match name.len() % 3 {
        0 => Some(Arg::Number(1.0)),
        1 => Some(Arg::Text("one")),
        _ => None,
    };
    for input in &inputs {
        if let Ok(m) = Message::parse(input) {
            for locale in ["en", "ar", "ru"] {
                let _ = m.format(locale, &args, &BuiltinLocalizer);
            }
            let _ = m.variables();
        } else if let Err(e) = Message::parse(input) {
            assert!(e.offset <= input.chars().count(), "{input:?}: {e:?}");
        }
    }
}

#[test]
fn locale_chains_shorten_the_tag_then_add_the_playbook_locales() {
    let playbook = ["en".to_owned(), "DE".to_owned()];
    assert_eq!(locale_chain("de_AT-1996", &playbook), ["de-AT-1996", "de-AT", "de", "en"]);
    assert_eq!(locale_chain("", &playbook), ["en", "DE"]);
    assert_eq!(locale_chain("-x", &playbook), ["-x", "", "en", "DE"]);
}
