//! Cross-checks and lint: the rules that look at the playbook as a whole.
//!
//! Errors: an offer that gates a feature an activation milestone needs (doctrine row 7), a
//! template variable the offer's trigger cannot supply. Warnings: discount-led offers, copy
//! that quotes no evidence, no `removes`, no outcome tracking. Per offer, the five questions
//! to answer before any pitch.

use super::load::ALWAYS_AVAILABLE;
use super::Playbook;
use crate::guardrails::CannotBuy;
use crate::offers::{Removes, Target};
use crate::problem::index;
use crate::read::Reader;

/// The five questions to answer before any pitch, in order.
pub const READINESS_QUESTIONS: [&str; 5] = [
    "Has the customer reached the first promised outcome?",
    "What signal proves they need more?",
    "Does the offer remove a real constraint?",
    "Who should own the ask?",
    "Will we track retention after expansion?",
];

/// Every code the linter warns with. A compiled playbook keeps its warnings, and decoding one
/// maps each stored code back to one of these (a [`crate::Problem`]'s code is `&'static str`);
/// a test checks that every `warning(` in the source uses a code listed here.
pub(crate) const WARNING_CODES: &[&str] =
    &["feature_list_copy", "missing_locale", "discount_led", "no_removes", "no_outcome_tracking", "no_ask_admin"];

/// The linter's answers to [`READINESS_QUESTIONS`] for one offer.
#[derive(Debug, Clone, PartialEq)]
pub struct Readiness {
    /// The offer id.
    pub offer: String,
    /// `(answered well?, the answer)` per question.
    pub answers: [(bool, String); 5],
}

impl Readiness {
    /// Writes `{ offer, ready, answers: [{ question, ok, answer }] }` (the five questions in order).
    pub fn write_json(&self, json: &mut crate::value::Json) {
        json.begin_object().key("offer").str(&self.offer).key("ready").bool(self.ready());
        json.key("answers").begin_array();
        for (question, (ok, answer)) in READINESS_QUESTIONS.iter().zip(&self.answers) {
            json.begin_object().key("question").str(question).key("ok").bool(*ok).key("answer").str(answer);
            json.end_object();
        }
        json.end_array().end_object();
    }

    /// True when all five are answered well.
    pub fn ready(&self) -> bool {
        self.answers.iter().all(|(ok, _)| *ok)
    }
}

pub(super) fn check(r: &mut Reader, p: &mut Playbook) {
    let base = p.base_plan().cloned();
    let mut readiness = Vec::new();
    for (i, offer) in p.offers.iter().enumerate() {
        let path = index("offers", i);
        let (target_features, target_name) = match offer.target {
            Target::Plan(t) => (&p.plans[t].features, &p.plans[t].name),
            Target::AddOn(a) => (&p.add_ons[a].features, &p.add_ons[a].name),
        };

        // Row 7: the base plan must deliver the first outcome.
        for m in &p.activation.milestones {
            let milestone = &p.milestones[*m];
            for need in &milestone.needs {
                let in_base = base.as_ref().is_some_and(|b| b.features.contains(need));
                if target_features.contains(need) && !in_base {
                    r.error(
                        &format!("{path}.target"),
                        "gates_activation",
                        format!("this offer sells `{need}`, which milestone `{}` needs; the base plan must deliver the first outcome, so put `{need}` in it", milestone.id),
                    );
                }
            }
        }

        // Templates may only use what the trigger supplies.
        let mut supplied = offer.trigger.supplies();
        supplied.extend_from_slice(ALWAYS_AVAILABLE);
        let target_price = match offer.target {
            Target::Plan(t) => p.plans[t].price,
            Target::AddOn(a) => p.add_ons[a].price,
        };
        if target_price.is_some() {
            supplied.push("next_price");
        }
        if let (Some(Removes::Limit(m)), Target::Plan(t)) = (&offer.removes, &offer.target) {
            if p.plans[*t].limits[*m].is_some() {
                supplied.push("next_limit");
            }
        }
        let evidence = offer.trigger.supplies();
        for (at, template) in offer.copy.templates(&path) {
            for var in template.message.variables() {
                if !supplied.contains(&var) {
                    r.error(
                        &at,
                        "unknown_variable",
                        format!(
                            "`{{{var}}}` is not supplied by this offer's trigger; it can use: {}",
                            supplied.join(", ")
                        ),
                    );
                }
            }
        }
        let quotes_evidence =
            offer.copy.templates(&path).any(|(_, t)| t.message.variables().iter().any(|v| evidence.contains(v)));
        if !quotes_evidence {
            r.warning(&format!("{path}.copy"), "feature_list_copy", "the copy quotes no evidence (count, limit, days ...): name the friction the customer feels, not the feature list");
        }
        for locale in &p.locales {
            if !offer.copy.control.iter().any(|(l, _)| l.eq_ignore_ascii_case(locale)) {
                r.warning(
                    &format!("{path}.copy"),
                    "missing_locale",
                    format!("no copy for `{locale}`; the fallback chain will use another locale"),
                );
            }
        }
        if offer.discount.is_some() {
            r.warning(&format!("{path}.discount"), "discount_led", "a discount-led offer changes the price instead of proving the fit; it is never shown below the discount health threshold");
        }
        if offer.removes.is_none() {
            r.warning(
                &path,
                "no_removes",
                "name the constraint the offer `removes`, so its trigger can be checked against it",
            );
        }
        if offer.watch.is_none() {
            r.warning(
                &path,
                "no_outcome_tracking",
                "add a `watch` to check that what was bought gets used after the conversion",
            );
        }
        let has_ask_admin = offer.copy.control.iter().all(|(_, s)| s.ask_admin.is_some());
        if p.guardrails.cannot_buy == CannotBuy::AskAdmin && !has_ask_admin {
            r.warning(
                &format!("{path}.copy"),
                "no_ask_admin",
                "users who cannot buy see nothing for this offer: add `ask_admin` copy in every locale",
            );
        }

        let owner = match (offer.owner, p.ownership.is_empty()) {
            (Some(o), _) => (true, format!("{} (set on the offer)", o.as_str())),
            (None, false) => (true, "resolved per account by the ownership rules (ACV band × motion)".into()),
            (None, true) => (true, "product (no ownership rules: self-serve)".into()),
        };
        let milestones: Vec<&str> = p.activation.milestones.iter().map(|m| p.milestones[*m].id.as_str()).collect();
        readiness.push(super::Readiness {
            offer: offer.id.to_string(),
            answers: [
                (
                    !milestones.is_empty(),
                    format!("gated on {} of: {}", if p.activation.all { "all" } else { "any" }, milestones.join(", ")),
                ),
                (offer.trigger.is_behavioural(), format!("trigger measures: {}", supplied_summary(&evidence))),
                (
                    offer.removes.is_some(),
                    if offer.removes.is_some() {
                        format!("removes a constraint that {target_name} lifts")
                    } else {
                        "no `removes` named".into()
                    },
                ),
                owner,
                (
                    offer.watch.is_some(),
                    if offer.watch.is_some() {
                        "a post-expansion watch checks use after conversion".into()
                    } else {
                        "no watch".into()
                    },
                ),
            ],
        });
    }
    p.readiness = readiness;
}

fn supplied_summary(evidence: &[&str]) -> String {
    if evidence.is_empty() {
        "nothing quotable".into()
    } else {
        evidence.join(", ")
    }
}
