//! Outcomes (shown, dismissed, snoozed, clicked, converted), the caps they feed, and the
//! post-expansion watch (doctrine row 9).

use crate::offers::Watch;
use crate::read::{Reader, DAY, HOUR};
use crate::value::{Json, Value};

/// Something that happened to a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    /// It was shown.
    Shown,
    /// "Not now": a cooldown starts.
    Dismissed,
    /// "Remind me later": it waits for the snooze period.
    Snoozed,
    /// The call to action was clicked.
    Clicked,
    /// The account bought what it offered: the post-expansion watch starts.
    Converted,
}

/// Every outcome kind with its name.
pub const OUTCOMES: &[(&str, OutcomeKind)] = &[
    ("shown", OutcomeKind::Shown),
    ("dismissed", OutcomeKind::Dismissed),
    ("snoozed", OutcomeKind::Snoozed),
    ("clicked", OutcomeKind::Clicked),
    ("converted", OutcomeKind::Converted),
];

impl OutcomeKind {
    /// `shown`, `dismissed`, ...
    pub fn as_str(self) -> &'static str {
        OUTCOMES.iter().find(|(_, k)| *k == self).map_or("shown", |(n, _)| n)
    }

    /// Parses a name.
    pub fn parse(name: &str) -> Option<OutcomeKind> {
        OUTCOMES.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

/// Caps and cooldowns from the playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Caps {
    /// Shows of one offer allowed within `per_offer_within`.
    pub per_offer: u32,
    /// The window of `per_offer`.
    pub per_offer_within: i64,
    /// Prompts per day, all offers together.
    pub per_day: u32,
    /// Prompts per week, all offers together.
    pub per_week: u32,
    /// After "Not now", the offer waits this long.
    pub dismiss_cooldown: i64,
    /// After "Remind me later", the offer waits this long.
    pub snooze: i64,
    /// Only one prompt is on screen at a time.
    pub one_at_a_time: bool,
    /// A shown prompt nobody answered stops holding the screen after this long.
    pub active_for: i64,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            per_offer: 3,
            per_offer_within: 30 * DAY,
            per_day: 1,
            per_week: 3,
            dismiss_cooldown: 14 * DAY,
            snooze: 3 * DAY,
            one_at_a_time: true,
            active_for: HOUR,
        }
    }
}

/// Reads `"caps": { ... }`; missing keys keep their defaults.
pub fn read_caps(r: &mut Reader, path: &str, v: &Value) -> Option<Caps> {
    let mut o = r.object(path, v)?;
    let d = Caps::default();
    let mut caps = Caps {
        per_day: o.opt(r, "per_day", |r, p, v| r.count(p, v, 0, 100)).unwrap_or(d.per_day),
        per_week: o.opt(r, "per_week", |r, p, v| r.count(p, v, 0, 1000)).unwrap_or(d.per_week),
        dismiss_cooldown: o.opt(r, "dismiss_cooldown", Reader::duration).unwrap_or(d.dismiss_cooldown),
        snooze: o.opt(r, "snooze", Reader::duration).unwrap_or(d.snooze),
        one_at_a_time: o.opt(r, "one_at_a_time", Reader::boolean).unwrap_or(d.one_at_a_time),
        ..d
    };
    if let Some(mut per) = o.opt(r, "per_offer", |r, p, v| r.object(p, v)) {
        caps.per_offer = per.req(r, "shows", |r, p, v| r.count(p, v, 0, 1000)).unwrap_or(d.per_offer);
        caps.per_offer_within = per.req(r, "within", Reader::duration).unwrap_or(d.per_offer_within);
        per.finish(r);
    }
    o.finish(r);
    Some(caps)
}

/// What happened to one offer, bounded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OfferHistory {
    /// Recent show times, oldest first (at most the per-offer cap + 1 are kept).
    pub shows: Vec<i64>,
    /// Wait until then after "Not now".
    pub cooldown_until: Option<i64>,
    /// Wait until then after "Remind me later".
    pub snoozed_until: Option<i64>,
    /// When it converted.
    pub converted_at: Option<i64>,
}

/// A running post-expansion watch.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchRun {
    /// The offer (index).
    pub offer: usize,
    /// When the conversion happened.
    pub started: i64,
    /// When the verdict is due.
    pub ends: i64,
    /// Uses counted so far.
    pub count: u32,
}

/// The verdict of a post-expansion watch.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchReport {
    /// The offer id.
    pub offer: String,
    /// `expansion_realized` or `expansion_at_risk`.
    pub outcome: &'static str,
    /// Uses counted in the window.
    pub count: u32,
    /// Uses needed.
    pub at_least: u32,
    /// Conversion time.
    pub started: i64,
    /// End of the window.
    pub ended: i64,
}

impl WatchReport {
    /// `{ offer, outcome, count, atLeast, started, ended }` for the host's analytics.
    pub fn write_json(&self, json: &mut Json) {
        json.begin_object().key("offer").str(&self.offer).key("outcome").str(self.outcome);
        json.key("count").num(self.count.into()).key("atLeast").num(self.at_least.into());
        json.key("started").num(self.started as f64).key("ended").num(self.ended as f64).end_object();
    }
}

/// Why a cap held an offer back.
#[derive(Debug, Clone, PartialEq)]
pub enum CapHit {
    /// In the cooldown after a dismissal.
    Cooldown {
        /// Until when.
        until: i64,
    },
    /// Snoozed.
    Snoozed {
        /// Until when.
        until: i64,
    },
    /// Shown as often as the per-offer cap allows.
    OfferCap {
        /// Shows in the window.
        shows: u32,
    },
    /// The daily cap is reached.
    DailyCap,
    /// The weekly cap is reached.
    WeeklyCap,
    /// This prompt is on screen in another tab.
    OtherTab,
    /// Another prompt is on screen.
    AnotherPrompt {
        /// Its offer (index).
        offer: usize,
    },
    /// Already bought.
    Converted,
}

impl CapHit {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            CapHit::Cooldown { .. } => "cooldown",
            CapHit::Snoozed { .. } => "snoozed",
            CapHit::OfferCap { .. } => "offer_cap",
            CapHit::DailyCap => "daily_cap",
            CapHit::WeeklyCap => "weekly_cap",
            CapHit::OtherTab => "shown_in_another_tab",
            CapHit::AnotherPrompt { .. } => "another_prompt_showing",
            CapHit::Converted => "converted",
        }
    }
}

/// The prompt on screen, and which tab shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct OnScreen {
    /// The offer (index).
    pub offer: usize,
    /// When it was shown.
    pub since: i64,
    /// The tab (engine instance) that shows it; empty when there is only one.
    pub tab: String,
}

/// Outcome history: caps, cooldowns, the prompt on screen, watches.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// Per offer (playbook order).
    pub offers: Vec<OfferHistory>,
    /// Recent show times of any offer, oldest first (bounded by the weekly cap).
    pub shows: Vec<i64>,
    /// The prompt on screen.
    pub active: Option<OnScreen>,
    /// The latest conversion seen here.
    pub last_conversion: Option<i64>,
    /// Running watches.
    pub watches: Vec<WatchRun>,
}

impl History {
    /// Empty history for `offers` offers.
    pub fn new(offers: usize) -> Self {
        let mut history = History::default();
        history.offers.resize_with(offers, OfferHistory::default);
        history
    }

    /// The prompt on screen, if it still holds the screen at `now`.
    pub fn active(&self, caps: &Caps, now: i64) -> Option<&OnScreen> {
        self.active.as_ref().filter(|a| now - a.since < caps.active_for)
    }

    /// The first cap that holds offer `i` back at `now`, seen from tab `tab`.
    pub fn cap(&self, caps: &Caps, i: usize, now: i64, tab: &str) -> Option<CapHit> {
        let h = self.offers.get(i)?;
        let active = self.active(caps, now);
        match active {
            // The prompt already on screen in this tab keeps its place without counting again.
            Some(a) if a.offer == i && a.tab == tab => return None,
            // The same prompt never shows in two tabs at once.
            Some(a) if a.offer == i => return Some(CapHit::OtherTab),
            _ => {}
        }
        if h.converted_at.is_some() {
            return Some(CapHit::Converted);
        }
        if let Some(until) = h.cooldown_until.filter(|u| now < *u) {
            return Some(CapHit::Cooldown { until });
        }
        if let Some(until) = h.snoozed_until.filter(|u| now < *u) {
            return Some(CapHit::Snoozed { until });
        }
        if let (true, Some(a)) = (caps.one_at_a_time, active) {
            return Some(CapHit::AnotherPrompt { offer: a.offer });
        }
        let shows = h.shows.iter().filter(|t| now - **t < caps.per_offer_within).count() as u32;
        if shows >= caps.per_offer {
            return Some(CapHit::OfferCap { shows });
        }
        if self.shows.iter().filter(|t| now - **t < DAY).count() as u32 >= caps.per_day {
            return Some(CapHit::DailyCap);
        }
        if self.shows.iter().filter(|t| now - **t < 7 * DAY).count() as u32 >= caps.per_week {
            return Some(CapHit::WeeklyCap);
        }
        None
    }

    /// Records an outcome for offer `i` in tab `tab`. A repeated `shown` of the prompt already
    /// on screen does not count twice.
    pub fn record(&mut self, caps: &Caps, i: usize, kind: OutcomeKind, now: i64, tab: &str, watch: Option<&Watch>) {
        let Some(h) = self.offers.get_mut(i) else { return };
        match kind {
            OutcomeKind::Shown => {
                if self.active.as_ref().is_some_and(|a| a.offer == i && a.tab == tab && now - a.since < caps.active_for)
                {
                    return;
                }
                h.shows.push(now);
                keep_last(&mut h.shows, caps.per_offer as usize + 1);
                self.shows.push(now);
                keep_last(&mut self.shows, caps.per_week.max(caps.per_day) as usize + 1);
                self.active = Some(OnScreen { offer: i, since: now, tab: tab.to_owned() });
                return;
            }
            OutcomeKind::Dismissed => h.cooldown_until = Some(now + caps.dismiss_cooldown),
            OutcomeKind::Snoozed => h.snoozed_until = Some(now + caps.snooze),
            OutcomeKind::Clicked => {}
            OutcomeKind::Converted => {
                h.converted_at = Some(now);
                self.last_conversion = Some(self.last_conversion.map_or(now, |t| t.max(now)));
                if let Some(w) = watch {
                    self.watches.retain(|run| run.offer != i);
                    self.watches.push(WatchRun { offer: i, started: now, ends: now + w.within, count: 0 });
                }
            }
        }
        if self.active.as_ref().is_some_and(|a| a.offer == i) {
            self.active = None;
        }
    }

    /// Frees the screen if tab `tab` holds it (the tab is closing).
    pub fn release(&mut self, tab: &str) {
        if self.active.as_ref().is_some_and(|a| a.tab == tab) {
            self.active = None;
        }
    }
}

/// Keeps the last `n` times of `v` (the newest, as times are kept oldest first).
pub(crate) fn keep_last(v: &mut Vec<i64>, n: usize) {
    if v.len() > n {
        v.drain(..v.len() - n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_apply_in_order() {
        let caps = Caps::default();
        let mut h = History::new(2);
        let t = 100 * DAY;
        assert_eq!(h.cap(&caps, 0, t, ""), None);
        h.record(&caps, 0, OutcomeKind::Shown, t, "", None);
        assert_eq!(h.cap(&caps, 0, t + 1, ""), None, "the prompt on screen keeps its place");
        assert_eq!(h.cap(&caps, 1, t + 1, ""), Some(CapHit::AnotherPrompt { offer: 0 }));
        assert_eq!(h.cap(&caps, 0, t + 1, "other tab"), Some(CapHit::OtherTab));
        h.record(&caps, 0, OutcomeKind::Dismissed, t + 2, "", None);
        assert_eq!(h.cap(&caps, 0, t + 3, ""), Some(CapHit::Cooldown { until: t + 2 + caps.dismiss_cooldown }));
        assert_eq!(h.cap(&caps, 1, t + 3, ""), Some(CapHit::DailyCap));
        assert_eq!(h.cap(&caps, 1, t + DAY + 3, ""), None);
    }

    #[test]
    fn a_repeated_shown_counts_once_and_history_stays_bounded() {
        let caps = Caps::default();
        let mut h = History::new(1);
        for k in 0..1000 {
            h.record(&caps, 0, OutcomeKind::Shown, k * 10 * DAY, "", None);
            h.record(&caps, 0, OutcomeKind::Shown, k * 10 * DAY + 1, "", None);
            h.record(&caps, 0, OutcomeKind::Snoozed, k * 10 * DAY + 2, "", None);
        }
        assert_eq!(h.offers[0].shows.len(), caps.per_offer as usize + 1);
        assert!(h.shows.len() <= caps.per_week as usize + 1);
        assert_eq!(h.offers[0].shows.windows(2).filter(|w| w[1] - w[0] < DAY).count(), 0, "no double count");
    }
}
