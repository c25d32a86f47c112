//! Native benchmarks of the decision core: `track` and `decide` on a playbook of 50 offers
//! after 100k events (issue targets: ≥ 5 M events/s ingested, `decide` < 5 µs), and loading
//! that playbook.
//!
//! Run with `make bench-native` (or `cargo bench --bench core`).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use earned::read::{parse_iso_time, DAY};
use earned::signals::{read_event, Event};
use earned::{BuiltinLocalizer, Engine, Playbook, Value};

const EVENTS: usize = 100_000;
const FIFTY_OFFERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/fixtures/fifty-offers.json");

fn setup() -> (Engine, Vec<Value>, i64) {
    let text = std::fs::read_to_string(FIFTY_OFFERS).unwrap();
    let playbook = Playbook::from_json(&text).unwrap();
    assert_eq!(playbook.offers.len(), 50);
    let mut engine = Engine::new(playbook);
    let account = r#"{"id":"bench-account","plan":"starter","acv":348,"health":85,"seats":{"paid":10,"active":10},
        "renewal_date":"2027-01-20","milestones":["first_ticket_solved","inbox_connected"]}"#;
    engine.set_account(&serde_json::from_str(account).unwrap()).unwrap();
    let now = parse_iso_time("2026-12-04T12:00:00Z").unwrap();
    let kinds = [
        r#"{"type":"session"}"#,
        r#"{"type":"limit_hit","metric":"reports"}"#,
        r#"{"type":"ticket_created","topic":"password reset"}"#,
        r#"{"type":"report_created"}"#,
        r#"{"type":"workaround","kind":"csv_export"}"#,
        r#"{"type":"ticket_created","topic":"billing"}"#,
        r#"{"type":"department_active","department":"finance"}"#,
        r#"{"type":"integration_requested","integration":"salesforce"}"#,
        r#"{"type":"usage","metric":"contacts","value":850}"#,
        r#"{"type":"seat_invited"}"#,
    ];
    let events: Vec<Value> = (0..EVENTS)
        .map(|i| {
            let mut v: Value = serde_json::from_str(kinds[i % kinds.len()]).unwrap();
            if let Value::Object(m) = &mut v {
                m.push(("at".into(), Value::Number((now - 90 * DAY + (i as i64) * (90 * DAY / EVENTS as i64)) as f64)));
            }
            v
        })
        .collect();
    (engine, events, now)
}

fn bench(c: &mut Criterion) {
    let (mut engine, events, now) = setup();
    for e in &events {
        engine.track(e, now).unwrap();
    }
    let d = engine.decide(now, &BuiltinLocalizer);
    let fired = d.trace.offers.iter().filter(|o| o.fired).count();
    println!("workload: {fired} of 50 offers fire; the decision shows {:?}", d.prompt.map(|p| p.offer));
    let validated: Vec<Event> = {
        let p = engine.playbook();
        let metrics = p.metrics.clone();
        let milestones: Vec<String> = p.milestones.iter().map(|m| m.id.clone()).collect();
        let names = earned::signals::event::Names { metrics: &metrics, milestones: &milestones };
        events.iter().map(|e| read_event(&p.events, &names, e, now).unwrap()).collect()
    };

    let mut g = c.benchmark_group("track");
    g.throughput(Throughput::Elements(EVENTS as u64));
    g.bench_function("track 100k event objects (validate + record)", |b| {
        b.iter(|| {
            for e in &events {
                black_box(engine.track(e, now)).unwrap();
            }
        })
    });
    // What the browser build does per batch: one JSON text in, parsed by hand, then tracked.
    let batch_json = Value::Array(events.clone()).to_json();
    g.bench_function("track 100k events from one JSON text (the wasm path)", |b| {
        b.iter(|| {
            let Ok(Value::Array(batch)) = Value::parse_json(black_box(&batch_json)) else { panic!("bad JSON") };
            for e in &batch {
                black_box(engine.track(e, now)).unwrap();
            }
        })
    });
    g.bench_function("record 100k validated events", |b| {
        b.iter_batched(
            || validated.clone(),
            |batch| {
                for e in batch {
                    engine.record(e, now);
                }
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();

    c.bench_function("decide (50 offers, after 100k events)", |b| {
        b.iter(|| black_box(engine.decide(black_box(now), &BuiltinLocalizer)))
    });

    // Part of cold start: what `createEngine` does with the playbook (parse, validate, lint).
    let text = std::fs::read_to_string(FIFTY_OFFERS).unwrap();
    c.bench_function("load the 50-offer playbook from JSON text", |b| {
        b.iter(|| black_box(Playbook::from_json(black_box(&text)).unwrap()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
