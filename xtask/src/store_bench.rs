//! `cargo xtask store-bench --gifts N --store FILE`: gifts committed one per transaction, as a
//! webhook receiver commits them (each durable before it is acknowledged), through the store's
//! own API. Prints gifts per second and the commit latency's percentiles. `bench/store.py` runs
//! it beside the other store figures.

use std::path::Path;
use std::time::Instant;

use chrono::{Duration, Utc};
use jauge::{Donation, Money};

pub fn run(gifts: u64, store: &Path) -> Result<(), String> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = store.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(&name);
    }
    let mut store = jauge_store::Store::create(store).map_err(|e| e.to_string())?;
    let start: chrono::DateTime<Utc> =
        "2023-12-01T00:00:00Z".parse().map_err(|e| format!("{e}"))?;
    let amount = Money::parse("25 EUR").map_err(|e| e.to_string())?;
    let mut latencies = Vec::with_capacity(gifts as usize);
    let began = Instant::now();
    for i in 0..gifts {
        let gift = Donation::try_new(
            format!("stripe:ch_{i:010}"),
            amount,
            start + Duration::seconds(i as i64),
        )
        .map_err(|e| e.to_string())?
        .with_donor(format!("h:{:024x}", i % 5000));
        let committed = Instant::now();
        let mut writer = store.writer(Utc::now()).map_err(|e| e.to_string())?;
        writer
            .record(&gift, &format!("evt_{i:010}"))
            .map_err(|e| e.to_string())?;
        writer.commit().map_err(|e| e.to_string())?;
        latencies.push(committed.elapsed().as_secs_f64() * 1000.0);
    }
    let seconds = began.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    println!(
        "single-gift transactions: {gifts} gifts in {seconds:.2} s = {:.0} gifts/s; commit p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        gifts as f64 / seconds,
        at(0.5),
        at(0.99),
        at(1.0)
    );
    Ok(())
}
