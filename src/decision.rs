//! The decision: candidates → audience → guardrails → caps → rank → holdout → at most one prompt.

use crate::audience;
use crate::copy::{Arg, CopySet, Localizer, Template};
use crate::engine::Engine;
use crate::guardrails::{GuardContext, Veto};
use crate::offers::{resolve_owner, Motion, Owner, Placement, Removes, RoutedUi, Target};
use crate::outcomes::CapHit;
use crate::read::{format_time, uint_text};
use crate::trace::{words, OfferTrace, Trace, Verdict, Why};
use crate::triggers::{Context, Evidence, Fact, Source};
use crate::value::{Json, Value};

/// Which call to action the prompt carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CtaKind {
    /// Self-serve upgrade (follows the offer's `url`).
    Upgrade,
    /// The user cannot buy: ask the admin.
    AskAdmin,
    /// A person owns the ask: talk to us.
    TalkToUs,
}

impl CtaKind {
    /// `upgrade`, `ask_admin`, `talk_to_us`.
    pub fn as_str(self) -> &'static str {
        match self {
            CtaKind::Upgrade => "upgrade",
            CtaKind::AskAdmin => "ask_admin",
            CtaKind::TalkToUs => "talk_to_us",
        }
    }
}

/// The prompt to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// The offer id (also the id outcomes refer to).
    pub offer: String,
    /// Its motion.
    pub motion: Motion,
    /// Who owns the ask.
    pub owner: Owner,
    /// Where it shows.
    pub placement: Placement,
    /// Rendered heading (plain text).
    pub title: String,
    /// Rendered message (plain text).
    pub body: String,
    /// Rendered call to action (plain text).
    pub cta: String,
    /// Which call to action.
    pub cta_kind: CtaKind,
    /// Where the self-serve CTA leads.
    pub url: Option<String>,
    /// The locale the copy was rendered in.
    pub locale: String,
    /// The copy variant (`control` or a variant id).
    pub variant: String,
    /// The evidence the copy quoted.
    pub evidence: Evidence,
}

/// Why nothing shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// A stable code: `no_trigger`, a guardrail or cap code, `outside_audience`, `holdout`, `routed`.
    pub code: &'static str,
    /// In words.
    pub message: String,
}

/// An offer a person owns: the host routes it (to CS or sales).
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The offer id.
    pub offer: String,
    /// `cs` or `sales`.
    pub owner: Owner,
    /// The evidence to hand over.
    pub evidence: Evidence,
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The prompt, if one shows.
    pub prompt: Option<Prompt>,
    /// Why nothing shows.
    pub reason: Option<Reason>,
    /// An ask the host must route to a person.
    pub route: Option<Route>,
    /// Everything considered.
    pub trace: Trace,
}

impl Decision {
    /// True when a prompt shows.
    pub fn show(&self) -> bool {
        self.prompt.is_some()
    }
}

impl Decision {
    /// The decision as JSON text, the object a host reads (camelCase):
    /// `{ show, prompt?, reason?: { code, message }, route?: { offer, owner, evidence }, trace }`.
    pub fn to_json(&self) -> String {
        let mut json = Json::default();
        json.begin_object();
        self.write_summary(&mut json);
        json.key("trace");
        self.trace.write_json(&mut json);
        json.end_object();
        json.finish()
    }

    /// The members of [`Decision::to_json`] but the trace, into an open object: what crosses to
    /// JS on every decision, while the trace (tens of KB for a large playbook) crosses only
    /// when someone reads it.
    pub fn write_summary(&self, json: &mut Json) {
        json.key("show").bool(self.show());
        if let Some(p) = &self.prompt {
            json.key("prompt");
            p.write_json(json);
        }
        if let Some(r) = &self.reason {
            json.key("reason").begin_object().key("code").str(r.code).key("message").str(&r.message).end_object();
        }
        if let Some(r) = &self.route {
            json.key("route").begin_object().key("offer").str(&r.offer).key("owner").str(r.owner.as_str());
            write_evidence(json, &r.evidence);
            json.end_object();
        }
    }
}

impl Prompt {
    /// Writes the prompt as the object a host reads (camelCase): `{ id, offer, motion, owner,
    /// placement: { kind, slot? }, title, body, cta, ctaKind, url?, locale, variant, evidence }`.
    /// `id` and `offer` are the same offer id; `id` is what `outcome(id, kind)` takes.
    pub fn write_json(&self, json: &mut Json) {
        json.begin_object().key("id").str(&self.offer).key("offer").str(&self.offer);
        json.key("motion").str(self.motion.as_str()).key("owner").str(self.owner.as_str());
        json.key("placement").begin_object().key("kind").str(self.placement.kind());
        if let Placement::Inline(slot) = &self.placement {
            json.key("slot").str(slot);
        }
        json.end_object();
        json.key("title").str(&self.title).key("body").str(&self.body).key("cta").str(&self.cta);
        json.key("ctaKind").str(self.cta_kind.as_str());
        if let Some(url) = &self.url {
            json.key("url").str(url);
        }
        json.key("locale").str(&self.locale).key("variant").str(&self.variant);
        write_evidence(json, &self.evidence);
        json.end_object();
    }
}

/// The `evidence` member: `"evidence": { "count": 3, "days": 30, "metric": "reports" }`.
fn write_evidence(json: &mut Json, evidence: &Evidence) {
    json.key("evidence").begin_object();
    for (k, v) in evidence {
        json.key(k);
        match v {
            Fact::Number(n) => json.num(*n),
            Fact::Text(t) => json.str(t),
        };
    }
    json.end_object();
}

pub(crate) fn decide(e: &Engine, now: i64, localizer: &dyn Localizer) -> Decision {
    let p = &e.playbook;
    let account = &e.account;
    let plan = account.plan.as_deref().and_then(|id| p.plan_index(id));
    // Without a known plan there are no limits (a missing entry reads as none).
    let limits: &[Option<f64>] = plan.map_or(&[], |i| &p.plans[i].limits);
    let cx = Context {
        signals: &e.signals,
        specs: &p.counters,
        account,
        metrics: &p.metrics,
        limits,
        now,
        catalog: &p.events,
    };

    let missing = e.missing_milestones();
    let activity = p.guardrails.usage_falling.as_ref().and_then(|f| {
        let c = e.signals.counters.get(f.counter)?;
        Some((c.buckets.within(now, f.within), c.buckets.previous(now, f.within)))
    });
    let last_purchase = match (account.last_purchase, e.history.last_conversion) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let gcx = GuardContext { account, missing_milestones: &missing, last_purchase, activity, now };
    let account_veto = p.guardrails.account_veto(&gcx);
    let why_veto = |v: &Veto| Why { code: v.code(), reason: v.reason(&p.guardrails), source: v.source() };
    // The account's veto applies to every offer: its reason is written once.
    let account_why = account_veto.as_ref().map(why_veto);

    let mut offers = Vec::with_capacity(p.offers.len());
    let mut candidates: Vec<(usize, f64)> = Vec::new();
    for (i, offer) in p.offers.iter().enumerate() {
        let check = offer.trigger.check(&cx, false);
        let mut t = OfferTrace {
            offer: offer.id.clone(),
            motion: offer.motion.as_str(),
            fired: check.fired,
            strength: check.strength,
            measures: check.measures,
            audience: None,
            guardrail: None,
            cap: None,
            verdict: Verdict::NotTriggered,
        };
        if check.fired {
            let in_audience =
                offer.audience.as_ref().is_none_or(|c| audience::eval_condition(&e.attributes, c, &Value::Null));
            t.audience = Some(in_audience);
            let has_ask_admin = e.derived.ask_admin.get(i).copied().unwrap_or(false);
            if !in_audience {
                t.verdict = Verdict::OutsideAudience;
            } else if let Some(why) = match &account_why {
                Some(why) => Some(why.clone()),
                None => p.guardrails.offer_veto(offer, account, &e.user, has_ask_admin).as_ref().map(why_veto),
            } {
                t.guardrail = Some(why);
                t.verdict = Verdict::Vetoed;
            } else if let Some(c) = e.history.cap(&p.caps, i, now, &e.tab) {
                t.cap = Some(Why { code: c.code(), reason: cap_reason(&c, &p.offers), source: Source::Events });
                t.verdict = Verdict::Capped;
            } else {
                candidates.push((i, check.strength));
                // Unless it ranks first (below).
                t.verdict = Verdict::Outranked;
            }
        }
        offers.push(t);
    }

    // Strongest evidence first; ties go to the earlier offer in the playbook. The prompt
    // already on screen keeps its place.
    let active = e.history.active(&p.caps, now).map(|a| a.offer);
    let best = candidates
        .iter()
        .max_by(|a, b| {
            let (a_active, b_active) = (Some(a.0) == active, Some(b.0) == active);
            a_active.cmp(&b_active).then(a.1.total_cmp(&b.1)).then(b.0.cmp(&a.0))
        })
        .map(|(i, _)| *i);
    if let Some(t) = best.and_then(|i| offers.get_mut(i)) {
        t.verdict = Verdict::Shown;
    }

    let holdout = e.in_holdout();
    let mut trace = Trace {
        at: now,
        playbook: p.id.clone(),
        account: account.id.clone(),
        activated: missing.is_empty(),
        missing_milestones: missing,
        account_veto: account_why,
        holdout,
        events_seen: e.signals.events,
        offers,
        picked: None,
        would_have_shown: None,
    };
    let Some(i) = best else {
        let reason = no_prompt_reason(&trace);
        return Decision { prompt: None, reason: Some(reason), route: None, trace };
    };
    let offer = &p.offers[i];
    let evidence = offer.trigger.check(&cx, true).evidence;
    let (owner, routed_ui) = resolve_owner(offer, &p.ownership, account.acv);
    let route = owner.is_routed().then(|| Route { offer: String::from(&*offer.id), owner, evidence: evidence.clone() });
    let cta_kind = if owner.is_routed() {
        CtaKind::TalkToUs
    } else if !e.user.can_buy {
        CtaKind::AskAdmin
    } else {
        CtaKind::Upgrade
    };
    let plan_name = plan.map_or("", |k| p.plans[k].name.as_str());
    let prompt = render_prompt(e, i, owner, cta_kind, evidence, plan_name, localizer);
    if holdout {
        trace.offers[i].verdict = Verdict::HeldOut;
        trace.would_have_shown = prompt;
        let reason = Reason {
            code: "holdout",
            message: "the account is in the holdout group, which never sees prompts (for measuring lift)".into(),
        };
        return Decision { prompt: None, reason: Some(reason), route: None, trace };
    }
    match prompt {
        Some(prompt) if !(owner.is_routed() && routed_ui == RoutedUi::Nothing) => {
            trace.picked = Some(String::from(&*offer.id));
            Decision { prompt: Some(prompt), reason: None, route, trace }
        }
        _ => {
            trace.offers[i].verdict = Verdict::Routed;
            let message = if owner.is_routed() {
                words("% owns this ask; the host routes it and the UI shows nothing", &[owner.as_str()])
            } else {
                "the offer has no copy for this call to action".into()
            };
            Decision { prompt: None, reason: Some(Reason { code: "routed", message }), route, trace }
        }
    }
}

fn cap_reason(c: &CapHit, offers: &[crate::offers::Offer]) -> String {
    let at;
    let (template, pieces): (&str, &[&str]) = match c {
        CapHit::Cooldown { until } => {
            at = format_time(*until);
            ("dismissed; waits until %", &[&at])
        }
        CapHit::Snoozed { until } => {
            at = format_time(*until);
            ("snoozed until %", &[&at])
        }
        CapHit::OfferCap { shows } => {
            at = uint_text((*shows).into());
            ("shown % times already in the cap window", &[&at])
        }
        CapHit::DailyCap => ("the daily prompt cap is reached", &[]),
        CapHit::WeeklyCap => ("the weekly prompt cap is reached", &[]),
        CapHit::OtherTab => ("it is on screen in another tab", &[]),
        CapHit::AnotherPrompt { offer } => {
            ("`%` is on screen; one prompt at a time", &[offers.get(*offer).map_or("?", |o| &*o.id)])
        }
        CapHit::Converted => ("already bought", &[]),
    };
    words(template, pieces)
}

/// Names why nothing shows: the first triggered offer's obstacle, or that nothing triggered.
fn no_prompt_reason(trace: &Trace) -> Reason {
    let Some(o) = trace.offers.iter().find(|o| o.fired) else {
        return Reason {
            code: "no_trigger",
            message: "no offer's trigger fired: nothing in the product's behaviour calls for a prompt yet".into(),
        };
    };
    let (code, why) = match o.guardrail.as_ref().or(o.cap.as_ref()) {
        Some(w) => (w.code, w.reason.as_str()),
        None => ("outside_audience", "the account is outside its audience"),
    };
    Reason { code, message: words("`%` fired, but %", &[&o.offer, why]) }
}

/// Renders offer `i`'s prompt in the user's locale chain; `plan_name` is the account's plan's
/// name (empty when the plan is unknown).
fn render_prompt(
    e: &Engine,
    i: usize,
    owner: Owner,
    cta_kind: CtaKind,
    evidence: Evidence,
    plan_name: &str,
    localizer: &dyn Localizer,
) -> Option<Prompt> {
    let p = &e.playbook;
    let offer = &p.offers[i];
    let cta_of = |set: &CopySet| cta_template(set, cta_kind).is_some();
    // The account's variant, unless it lacks this locale or call to action: then the control copy.
    let variant = e.variant(i);
    let chain = &e.derived.locales;
    let (variant, (locale, set)) = match offer.copy.pick(variant, chain) {
        Some(picked) if variant > 0 && cta_of(picked.1) => (variant, picked),
        _ => (0, offer.copy.pick(0, chain)?),
    };
    let variant_id = offer.copy.variant_id(variant);
    let cta = cta_template(set, cta_kind)?;

    let (target_name, target_price) = match offer.target {
        Target::Plan(t) => (p.plans[t].name.as_str(), p.plans[t].price),
        Target::AddOn(a) => (p.add_ons[a].name.as_str(), p.add_ons[a].price),
    };
    let next_limit = match (&offer.removes, &offer.target) {
        (Some(Removes::Limit(m)), Target::Plan(t)) => p.plans[*t].limits[*m],
        _ => None,
    };
    // The templates' arguments: the evidence first, then the plans' names, price and limit.
    let more = [
        ("plan", Some(Arg::Text(plan_name))),
        ("next_plan", Some(Arg::Text(target_name))),
        ("next_price", target_price.map(Arg::Number)),
        ("next_limit", next_limit.map(Arg::Number)),
    ];
    let arg = |name: &str| match evidence.iter().find(|(k, _)| *k == name) {
        Some((_, Fact::Number(n))) => Some(Arg::Number(*n)),
        Some((_, Fact::Text(t))) => Some(Arg::Text(t)),
        None => more.iter().find(|(k, _)| *k == name).and_then(|(_, a)| *a),
    };
    let text = |t: &Template| t.message.format(locale, &arg, localizer);
    Some(Prompt {
        offer: String::from(&*offer.id),
        motion: offer.motion,
        owner,
        placement: offer.placement.clone(),
        title: text(&set.title),
        body: text(&set.body),
        cta: text(cta),
        cta_kind,
        url: offer.url.clone(),
        locale: locale.to_owned(),
        variant: variant_id.to_owned(),
        evidence,
    })
}

/// The call-to-action template of a copy set for this kind of CTA.
fn cta_template(set: &CopySet, kind: CtaKind) -> Option<&Template> {
    match kind {
        CtaKind::Upgrade => Some(&set.cta),
        CtaKind::AskAdmin => set.ask_admin.as_ref(),
        CtaKind::TalkToUs => set.talk_to_us.as_ref(),
    }
}
