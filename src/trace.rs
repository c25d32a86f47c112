//! The trace: why a prompt did or did not show, offer by offer.
//!
//! Every decision carries one. It lists each offer considered with its trigger measurements
//! and evidence, the audience result, the guardrail that vetoed, the cap or holdout that
//! applied, and says whether each measurement came from local events or account facts.

use std::sync::Arc;

use crate::decision::Prompt;
use crate::read::{fmt_num, uint_text};
use crate::triggers::{Measure, Measures, Source};
use crate::value::Json;

/// What became of one offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Its trigger did not fire.
    NotTriggered,
    /// The account or user is outside its audience.
    OutsideAudience,
    /// A guardrail vetoed it.
    Vetoed,
    /// A cap or cooldown held it back.
    Capped,
    /// Another offer had stronger evidence.
    Outranked,
    /// It would have shown, but the account is in the holdout.
    HeldOut,
    /// A person owns the ask: the host was told to route it and nothing shows.
    Routed,
    /// It is the prompt.
    Shown,
}

impl Verdict {
    /// A stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotTriggered => "not_triggered",
            Verdict::OutsideAudience => "outside_audience",
            Verdict::Vetoed => "vetoed",
            Verdict::Capped => "capped",
            Verdict::Outranked => "outranked",
            Verdict::HeldOut => "held_out",
            Verdict::Routed => "routed",
            Verdict::Shown => "shown",
        }
    }
}

/// A named reason with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    /// A stable code (`cs_hold`, `cooldown`).
    pub code: &'static str,
    /// The reason in words.
    pub reason: String,
    /// Events or facts.
    pub source: Source,
}

/// One offer in the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferTrace {
    /// The offer id.
    pub offer: Arc<str>,
    /// Its motion.
    pub motion: &'static str,
    /// Whether the trigger fired.
    pub fired: bool,
    /// Its strength (1.0 = just met), used for ranking.
    pub strength: f64,
    /// Every part of the trigger measured.
    pub measures: Measures,
    /// The audience result, when it was checked.
    pub audience: Option<bool>,
    /// The guardrail that vetoed it.
    pub guardrail: Option<Why>,
    /// The cap that held it back.
    pub cap: Option<Why>,
    /// What became of it.
    pub verdict: Verdict,
}

/// The whole trace of one decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// When (ms).
    pub at: i64,
    /// The playbook id.
    pub playbook: String,
    /// The account id.
    pub account: String,
    /// Whether the activation milestones are reached.
    pub activated: bool,
    /// Milestones still missing.
    pub missing_milestones: Vec<String>,
    /// The account-level veto, if any (it applies to every offer).
    pub account_veto: Option<Why>,
    /// Whether the account is in the holdout.
    pub holdout: bool,
    /// Local events seen so far.
    pub events_seen: u64,
    /// Every offer, in playbook order.
    pub offers: Vec<OfferTrace>,
    /// The offer picked, if any.
    pub picked: Option<String>,
    /// In the holdout: the prompt that would have shown.
    pub would_have_shown: Option<Prompt>,
}

impl Why {
    /// `{ code, reason, source }`.
    pub fn write_json(&self, json: &mut Json) {
        json.begin_object().key("code").str(self.code).key("reason").str(&self.reason);
        json.key("source").str(self.source.as_str()).end_object();
    }
}

/// A reason that may be missing: its object, or `null`.
fn write_why(json: &mut Json, why: Option<&Why>) {
    match why {
        Some(why) => why.write_json(json),
        None => {
            json.null();
        }
    }
}

impl Measure {
    /// `{ what, measured, threshold, holds, source }`.
    pub fn write_json(&self, json: &mut Json) {
        json.begin_object().key("what").str(&self.what).key("measured").num(self.measured);
        json.key("threshold").num(self.threshold).key("holds").bool(self.holds);
        json.key("source").str(self.source.as_str()).end_object();
    }
}

impl OfferTrace {
    /// `{ offer, motion, fired, strength, measures, audience, guardrail, cap, verdict }`; `audience`
    /// is `null` when it was not checked, `guardrail` and `cap` are `null` when none applied.
    pub fn write_json(&self, json: &mut Json) {
        json.begin_object().key("offer").str(&self.offer).key("motion").str(self.motion);
        json.key("fired").bool(self.fired).key("strength").num(self.strength);
        json.key("measures").begin_array();
        for m in &self.measures {
            m.write_json(json);
        }
        json.end_array().key("audience");
        match self.audience {
            Some(a) => json.bool(a),
            None => json.null(),
        };
        json.key("guardrail");
        write_why(json, self.guardrail.as_ref());
        json.key("cap");
        write_why(json, self.cap.as_ref());
        json.key("verdict").str(self.verdict.as_str()).end_object();
    }
}

impl Trace {
    /// The trace as JSON text, the object a host reads (camelCase): `{ at, playbook, account,
    /// activated, missingMilestones, accountVeto, holdout, eventsSeen, offers, picked,
    /// wouldHaveShown }`.
    pub fn to_json(&self) -> String {
        let mut json = Json::default();
        self.write_json(&mut json);
        json.finish()
    }

    /// Writes the object of [`Trace::to_json`].
    pub fn write_json(&self, json: &mut Json) {
        json.begin_object().key("at").num(self.at as f64).key("playbook").str(&self.playbook);
        json.key("account").str(&self.account).key("activated").bool(self.activated);
        json.key("missingMilestones").begin_array();
        for m in &self.missing_milestones {
            json.str(m);
        }
        json.end_array().key("accountVeto");
        write_why(json, self.account_veto.as_ref());
        json.key("holdout").bool(self.holdout).key("eventsSeen").num(self.events_seen as f64);
        json.key("offers").begin_array();
        for o in &self.offers {
            o.write_json(json);
        }
        json.end_array().key("picked").opt_str(self.picked.as_deref()).key("wouldHaveShown");
        match &self.would_have_shown {
            Some(p) => p.write_json(json),
            None => {
                json.null();
            }
        }
        json.end_object();
    }

    /// The trace as readable text, for people evaluating a playbook.
    pub fn explain(&self) -> String {
        let mut s = String::new();
        let mut line = |template: &str, pieces: &[&str]| {
            fill(&mut s, template, pieces);
            s.push('\n');
        };
        line(
            "Decision for account `%` with playbook `%` (% events seen).",
            &[&self.account, &self.playbook, &uint_text(self.events_seen)],
        );
        if self.activated {
            line("Activation: reached.", &[]);
        } else {
            line("Activation: NOT reached (missing %).", &[&self.missing_milestones.join(", ")]);
        }
        if let Some(v) = &self.account_veto {
            line("Account guardrail `%` holds every offer: % [%].", &[v.code, &v.reason, v.source.as_str()]);
        }
        if self.holdout {
            line("The account is in the holdout group: it never sees prompts.", &[]);
        }
        for o in &self.offers {
            line("- % (%): %", &[&o.offer, o.motion, &o.verdict.as_str().replace('_', " ")]);
            for m in &o.measures {
                line(
                    "    % %: measured % against % [%]",
                    &[
                        if m.holds { "✓" } else { "✗" },
                        &m.what,
                        &fmt_num(m.measured),
                        &fmt_num(m.threshold),
                        m.source.as_str(),
                    ],
                );
            }
            if o.audience == Some(false) {
                line("    audience: not in it", &[]);
            }
            if let Some(g) = &o.guardrail {
                line("    guardrail `%`: % [%]", &[g.code, &g.reason, g.source.as_str()]);
            }
            if let Some(c) = &o.cap {
                line("    cap `%`: %", &[c.code, &c.reason]);
            }
        }
        match (&self.picked, &self.would_have_shown) {
            (_, Some(p)) => line("Would have shown `%` (held out).", &[&p.offer]),
            (Some(p), None) => line("Shows `%`.", &[p]),
            (None, None) => line("Shows nothing.", &[]),
        }
        s
    }
}

/// Appends `template` with each `%` replaced by the next of `pieces`: the text of reasons and
/// explanations without formatting machinery (`format!` would bring `core::fmt` into the wasm).
pub(crate) fn fill(out: &mut String, template: &str, pieces: &[&str]) {
    // Pieces found by `split_once`, which the wasm has anyway; `split` would add its own code.
    let (mut rest, mut pieces) = (template, pieces.iter());
    while let Some((text, after)) = rest.split_once('%') {
        out.push_str(text);
        out.push_str(pieces.next().unwrap_or(&""));
        rest = after;
    }
    out.push_str(rest);
}

/// `template` with each `%` replaced by the next of `pieces` (see [`fill`]).
pub(crate) fn words(template: &str, pieces: &[&str]) -> String {
    let mut out = String::new();
    fill(&mut out, template, pieces);
    out
}
