//! `cargo xtask hook-bench`: signed Stripe webhooks posted to the release `jauge serve` on
//! loopback (a copy of the example campaign's store), at fixed rates and then as fast as the
//! receiver takes them. For each rate it prints the webhook's latency (request sent → 2xx) and
//! the freshness of the served status (2xx → the first `status.json` whose gift count includes
//! every event answered so far), as medians and 99th percentiles. The load generator and a
//! poller of `status.json` share the machine's 2 cores with the server.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::client::Connection;

const SECRET: &str = "whsec_bench_only";
/// The instant the served site is as of: the example campaign's last half hour, so that a store
/// generated over the whole campaign has (almost) no gift after it, as a store on the real clock
/// has none.
const AT: &str = "2023-12-31T23:30:00+01:00";
/// When the new gifts were made: a minute before [`AT`], as a webhook delivered at once says
/// (after the served status's checkpoint, which is an hour or more back).
const CREATED: i64 = 1_704_061_740;
const SENDERS: usize = 16;

/// A signed `charge.succeeded` event, the `n`th of the run.
fn delivery(n: usize) -> (String, Vec<u8>) {
    let body = format!(
        r#"{{"id":"evt_bench_{n}","object":"event","api_version":"2024-06-20","type":"charge.succeeded","created":{CREATED},"livemode":true,"data":{{"object":{{"id":"ch_bench_{n}","object":"charge","amount":{},"amount_refunded":0,"currency":"eur","created":{CREATED},"status":"succeeded","paid":true,"billing_details":{{"email":"bench{n}@example.org"}}}}}}}}"#,
        500 + n % 10_000
    );
    let signature =
        jauge_platforms::stripe::sign(SECRET, chrono::Utc::now().timestamp(), body.as_bytes());
    let head = format!(
        "POST /hooks/stripe HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nStripe-Signature: {signature}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    (head, body.into_bytes())
}

/// Polls `status.json` with `If-None-Match` until `stop`, recording each new document's time
/// and gift count.
fn watch_status(
    addr: String,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<Vec<(Instant, u64)>> {
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let Ok(mut connection) = Connection::open(&addr) else {
            return seen;
        };
        let mut etag = String::new();
        while !stop.load(Ordering::Relaxed) {
            let head = format!(
                "GET /status.json HTTP/1.1\r\nHost: bench\r\nIf-None-Match: {etag}\r\n\r\n"
            );
            match connection.exchange(&head, b"") {
                Ok((200, tag, body)) => {
                    let at = Instant::now();
                    let text = String::from_utf8_lossy(&body);
                    if let Ok(document) = jauge::StatusDocument::from_json(&text) {
                        seen.push((at, document.donations()));
                    }
                    etag = tag;
                }
                Ok(_) => {}
                Err(_) => match Connection::open(&addr) {
                    Ok(fresh) => connection = fresh,
                    Err(_) => return seen,
                },
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        seen
    })
}

/// What one scenario measured.
struct Figures {
    answered: usize,
    failed: usize,
    seconds: f64,
    latencies: Vec<Duration>,
    freshness: Vec<Duration>,
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1)))
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

/// Posts events `first..` at `rate` per second (as fast as answered when `None`) for
/// `duration`; the store held `base` gifts before.
fn scenario(
    addr: &str,
    first: usize,
    rate: Option<u32>,
    duration: Duration,
    base: u64,
) -> Result<(Figures, usize), String> {
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_status(addr.to_owned(), stop.clone());
    let next = Arc::new(AtomicUsize::new(0));
    let answers = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let senders: Vec<_> = (0..SENDERS)
        .map(|_| {
            let (addr, next, answers) = (addr.to_owned(), next.clone(), answers.clone());
            std::thread::spawn(move || {
                let mut failed = 0;
                let Ok(mut connection) = Connection::open(&addr) else {
                    return SENDERS;
                };
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let due = match rate {
                        Some(rate) => start + Duration::from_secs_f64(i as f64 / f64::from(rate)),
                        None => Instant::now(),
                    };
                    if due >= start + duration {
                        return failed;
                    }
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    let (head, body) = delivery(first + i);
                    let sent = Instant::now();
                    match connection.exchange(&head, &body) {
                        Ok((200, _, _)) => {
                            let answered = Instant::now();
                            if let Ok(mut answers) = answers.lock() {
                                answers.push((sent, answered));
                            }
                        }
                        _ => {
                            failed += 1;
                            if let Ok(fresh) = Connection::open(&addr) {
                                connection = fresh;
                            }
                        }
                    }
                }
            })
        })
        .collect();
    let mut failed = 0;
    for sender in senders {
        failed += sender.join().map_err(|_| "a sender panicked")?;
    }
    let seconds = start.elapsed().as_secs_f64();
    // Long enough for the last gifts to show.
    std::thread::sleep(Duration::from_secs(3));
    stop.store(true, Ordering::Relaxed);
    let seen = watcher.join().map_err(|_| "the watcher panicked")?;
    let mut answers = answers.lock().map_err(|_| "poisoned")?.clone();
    answers.sort_by_key(|(_, answered)| *answered);
    let mut latencies: Vec<Duration> = answers.iter().map(|(s, a)| *a - *s).collect();
    latencies.sort();
    // The k-th answer means at least k of this run's gifts were committed: the first document
    // seen after it that counts as many shows it.
    let mut freshness = Vec::new();
    for (k, (_, answered)) in answers.iter().enumerate() {
        let needed = base + k as u64 + 1;
        if let Some((at, _)) = seen
            .iter()
            .find(|(at, count)| at >= answered && *count >= needed)
        {
            freshness.push(*at - *answered);
        }
    }
    freshness.sort();
    let answered = answers.len();
    Ok((
        Figures {
            answered,
            failed,
            seconds,
            latencies,
            freshness,
        },
        next.load(Ordering::Relaxed).min(answered + failed),
    ))
}

/// Runs the scenarios at `rates` (`None`: as fast as taken), each for `seconds`, on a copy of
/// `store` (the example campaign's store by default: the example campaign file counts it).
pub fn run(
    root: &Path,
    seconds: u64,
    store: Option<std::path::PathBuf>,
    rates: &[Option<u32>],
    under: Option<&str>,
) -> Result<(), String> {
    super::dist::run(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(root)
            .args(["build", "--quiet", "--release", "-p", "jauge-cli"]),
    )?;
    if !root.join("dist/jauge_bg.wasm").exists() {
        super::dist::build(root, &root.join("dist"))?;
    }
    let example = super::example_campaign(root)?;
    let work = std::env::temp_dir().join(format!("jauge-hook-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let folder = example.parent().unwrap_or(root);
    let source = store.unwrap_or_else(|| folder.join("donations.db"));
    std::fs::copy(&source, work.join("donations.db"))
        .map_err(|e| format!("{}: {e}", source.display()))?;
    std::fs::write(
        work.join("campaign.toml"),
        super::example_campaign_text(&example)?,
    )
    .map_err(|e| e.to_string())?;
    let addr = super::free_loopback_address()?;
    let jauge = root.join("target/release/jauge");
    let mut command = match under.map(|u| u.split_whitespace().collect::<Vec<_>>()) {
        Some(words) if !words.is_empty() => {
            let mut command = Command::new(words[0]);
            command.args(&words[1..]).arg(&jauge);
            // Set here (as `jauge serve` sets them), or the server would start itself again
            // outside the profiler.
            command.env("MALLOC_ARENA_MAX", "2");
            command.env("MALLOC_MMAP_THRESHOLD_", "262144");
            // Its own group, stopped at the end with SIGINT so that the profiler writes out.
            std::os::unix::process::CommandExt::process_group(&mut command, 0);
            command
        }
        _ => Command::new(&jauge),
    };
    command
        .args(["serve", "--at", AT, "--addr", &addr, "--campaign"])
        .arg(work.join("campaign.toml"))
        .arg("--widget")
        .arg(root.join("dist"))
        .env("JAUGE_STRIPE_WEBHOOK_SECRET", SECRET)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let server = super::start_server(command, &addr)?;
    let base = {
        // The server listens before its first build, which counts every gift of a store without
        // a checkpoint (a minute at twenty million): the first answer is waited for that long.
        let first = Instant::now();
        let body = loop {
            let answer = Connection::open(&addr).and_then(|mut connection| {
                connection.exchange("GET /status.json HTTP/1.1\r\nHost: bench\r\n\r\n", b"")
            });
            match answer {
                Ok((_, _, body)) => break body,
                Err(e) if first.elapsed() > Duration::from_secs(600) => {
                    return Err(format!("the server's first status: {e}"))
                }
                Err(_) => continue,
            }
        };
        jauge::StatusDocument::from_json(&String::from_utf8_lossy(&body))
            .map_err(|e| e.to_string())?
            .donations()
    };
    println!(
        "jauge serve on {addr}, {SENDERS} senders on keep-alive connections, {seconds} s per rate, the store holding {base} gifts"
    );
    // One gift first, waited for: the server's first status saves the checkpoint that the
    // others resume, and reads every gift when the store has none (as after a stop of more than
    // an hour). The scenarios measure the server caught up.
    let warm = Instant::now();
    let (head, body) = delivery(usize::MAX);
    let mut connection = Connection::open(&addr).map_err(|e| e.to_string())?;
    match connection.exchange(&head, &body) {
        Ok((200, _, _)) => {}
        other => return Err(format!("the warm-up gift was not taken: {other:?}")),
    }
    let base = base + 1;
    loop {
        let shown = connection
            .exchange("GET /status.json HTTP/1.1\r\nHost: bench\r\n\r\n", b"")
            .ok()
            .and_then(|(_, _, body)| {
                jauge::StatusDocument::from_json(&String::from_utf8_lossy(&body)).ok()
            })
            .is_some_and(|document| document.donations() >= base);
        if shown {
            break;
        }
        if warm.elapsed() > Duration::from_secs(600) {
            return Err("the warm-up gift did not show within 10 minutes".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    println!(
        "warm-up: one gift shown {:.1} s after it was sent (the first status after a start)",
        warm.elapsed().as_secs_f64()
    );
    println!("rate (events/s)   answered  failed  events/s   2xx p50 ms  p99 ms   status p50 ms  p99 ms  max ms");
    let mut first = 0;
    for &rate in rates {
        let (f, sent) = scenario(
            &addr,
            first,
            rate,
            Duration::from_secs(seconds),
            base + first as u64,
        )?;
        first += sent;
        let label = rate.map_or("as fast as taken".to_owned(), |r| r.to_string());
        println!(
            "{label:<17} {:>9} {:>7} {:>9.0} {:>12.2} {:>7.2} {:>15.1} {:>7.1} {:>7.1}",
            f.answered,
            f.failed,
            f.answered as f64 / f.seconds,
            percentile(&f.latencies, 0.5),
            percentile(&f.latencies, 0.99),
            percentile(&f.freshness, 0.5),
            percentile(&f.freshness, 0.99),
            f.freshness
                .last()
                .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0),
        );
        if f.freshness.len() < f.answered {
            println!(
                "  {} answered gifts never showed in status.json",
                f.answered - f.freshness.len()
            );
        }
    }
    if under.is_some() {
        let group = format!("-{}", server.0.id());
        let _ = Command::new("kill").args(["-INT", "--", &group]).status();
        std::thread::sleep(Duration::from_secs(5));
        drop(server);
        let _ = std::fs::remove_dir_all(&work);
        return Ok(());
    }
    // The server's peak memory over the whole run, as the kernel counted it.
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.0.id())).unwrap_or_default();
    if let Some(peak) = status.lines().find(|l| l.starts_with("VmHWM:")) {
        println!(
            "jauge serve's peak resident memory: {}",
            peak["VmHWM:".len()..].trim()
        );
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}
