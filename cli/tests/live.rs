//! Live for real: a campaign running now, on the real clock (no `--at`), from no store at all;
//! a gift shows in `status.json` within moments of its webhook's 2xx and is pushed to open
//! pages; a gift that cannot be counted is kept aside and never freezes the gauge; the public
//! files are readable from other origins.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;

use crate::serve::{event, post_stripe, request, serve, serve_at, status_json, SECRET};
use crate::support::{campaign_scratch, replace_line};

/// A campaign that started ten days ago and ends in twenty, in a folder with no store yet.
pub(crate) fn running_now(dir: &Path) {
    let today = Utc::now().date_naive();
    std::fs::write(
        dir.join("campaign.toml"),
        format!(
            "name = \"Running now\"\ngoal = \"1000 EUR\"\ntime_zone = \"Europe/Paris\"\n\
             start = \"{}\"\ndeadline = \"{}\"\n",
            today - chrono::Days::new(10),
            today + chrono::Days::new(20),
        ),
    )
    .unwrap();
}

/// A Stripe charge made now.
pub(crate) fn charge_now(id: &str, cents: i64, currency: &str) -> String {
    format!(
        r#"{{"id":"{id}","object":"charge","amount":{cents},"amount_refunded":0,"currency":"{currency}","created":{},"status":"succeeded","paid":true,"billing_details":{{"email":"{id}@example.org"}}}}"#,
        Utc::now().timestamp()
    )
}

/// An open push stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
            .write_all(
                b"GET /events HTTP/1.1\r\nHost: jauge.test\r\nAccept: text/event-stream\r\n\r\n",
            )
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(kind) = line.to_ascii_lowercase().strip_prefix("content-type: ") {
                assert!(kind.starts_with("text/event-stream"), "{kind}");
            }
        }
        Events(reader)
    }

    /// Reads pushed events until the document then served passes `test`, 30 s at most. Not an
    /// exact tag: on the real clock the document `status.json` gave may be superseded before
    /// the stream sends it (the minute turns), and waiting for that tag would wait forever.
    fn until(&mut self, addr: SocketAddr, test: impl Fn(&jauge::StatusDocument) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            assert!(Instant::now() < deadline, "no pushed document showed it");
            // Each read is bounded too (the stream's read timeout).
            self.next();
            if test(&status_json(addr).1) {
                return;
            }
        }
    }

    /// The data of the next `status` event (the body is chunked: chunk sizes and keep-alive
    /// comments are skipped).
    fn next(&mut self) -> String {
        let mut line = String::new();
        let mut kind = String::new();
        loop {
            line.clear();
            assert!(self.0.read_line(&mut line).unwrap() > 0, "the stream ended");
            let line = line.trim_end();
            if let Some(name) = line.strip_prefix("event: ") {
                kind = name.to_owned();
            } else if let Some(data) = line.strip_prefix("data: ") {
                if kind == "status" {
                    return data.to_owned();
                }
            }
        }
    }
}

/// The versioned card the public page names for link previews, served with it.
fn named_card(addr: SocketAddr) -> String {
    let page = request(addr, "GET", "/", &[], b"").unwrap();
    assert_eq!(page.status, 200);
    let html = page.text();
    let name = html
        .split("<meta property=\"og:image\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no og:image: {html}"))
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        name.starts_with("card-") && name.ends_with(".png"),
        "{name}"
    );
    let card = request(addr, "GET", &format!("/{name}"), &[], b"").unwrap();
    assert_eq!(card.status, 200, "the card the page names");
    assert_eq!(card.header("content-type"), Some("image/png"));
    name
}

/// Looks at `status.json` until its document passes `test` (10 s at most), and returns it with
/// its ETag.
fn wait_for(
    addr: SocketAddr,
    test: impl Fn(&jauge::StatusDocument) -> bool,
) -> (String, jauge::StatusDocument) {
    let started = Instant::now();
    loop {
        let (tag, document) = status_json(addr);
        if test(&document) {
            return (tag, document);
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "status.json never showed it"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn on_the_real_clock_a_gift_shows_at_once_and_is_pushed_from_a_campaign_with_no_store() {
    let work = tempfile::tempdir().unwrap();
    running_now(work.path());
    let store = work.path().join("donations.db");
    assert!(!store.exists());
    let served = serve_at(
        work.path(),
        &[("JAUGE_STRIPE_WEBHOOK_SECRET", SECRET)],
        &[],
        "127.0.0.1:0",
        None,
    );
    let addr = served.addr;
    // At zero, and the store made for the first webhook.
    let first = request(addr, "GET", "/status.json", &[], b"").unwrap();
    assert_eq!(first.status, 200, "{}", served.log.lock().unwrap());
    assert_eq!(first.header("x-jauge-events"), Some("events"));
    let (_, zero) = status_json(addr);
    assert_eq!(zero.raised().to_string(), "0.00 EUR");
    assert_eq!(zero.donations(), 0);
    assert!(store.exists());
    let mut events = Events::open(addr);
    events.until(addr, |d| d.donations() == 0);

    // A gift in dollars, which the campaign has no rate for: stored, answered 2xx, not counted.
    let dollars = event(
        "evt_usd",
        "charge.succeeded",
        true,
        &charge_now("ch_usd", 1200, "usd"),
    );
    assert_eq!(post_stripe(addr, &dollars, SECRET).unwrap().status, 200);
    let not_counted = |d: &jauge::StatusDocument| d.to_json_pretty().contains("not_counted");
    let (_, document) = wait_for(addr, not_counted);
    events.until(addr, not_counted);
    assert_eq!(document.raised().to_string(), "0.00 EUR");
    let json: serde_json::Value = serde_json::from_str(&document.to_json_pretty()).unwrap();
    assert_eq!(
        json["breakdown"]["excluded"]["not_counted"][0]["amount"],
        serde_json::json!({ "amount": "12.00", "currency": "USD" })
    );

    // A gift in euros, made now: in status.json at the next look after its 2xx, and pushed.
    let euros = event(
        "evt_eur",
        "charge.succeeded",
        true,
        &charge_now("ch_eur", 4500, "eur"),
    );
    let answer = post_stripe(addr, &euros, SECRET).unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    let answered = Instant::now();
    let counted = |d: &jauge::StatusDocument| d.raised().to_string() == "45.00 EUR";
    wait_for(addr, counted);
    eprintln!(
        "a gift in status.json {} ms after its 2xx, on the real clock",
        answered.elapsed().as_millis()
    );
    events.until(addr, counted);
    // The public page on the real clock: the campaign's name, and the card it names served.
    let page = request(addr, "GET", "/", &[], b"").unwrap().text();
    assert!(page.contains("<h1>Running now</h1>"), "{page}");
    named_card(addr);
    let (_, document) = status_json(addr);
    assert!(document.as_of() <= Utc::now());
    assert!(Utc::now() - document.as_of() < chrono::Duration::seconds(60));
}

#[test]
fn the_public_files_are_readable_from_other_origins_and_the_webhooks_are_not() {
    let work = campaign_scratch();
    let served = serve(
        work.path(),
        &[("JAUGE_STRIPE_WEBHOOK_SECRET", SECRET)],
        &[],
        "127.0.0.1:0",
    );
    let addr = served.addr;
    let blog = [("Origin", "https://blog.example.org")];
    for path in ["/status.json", "/jauge.js", "/scene.svg"] {
        let answer = request(addr, "GET", path, &blog, b"").unwrap();
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(
            answer.header("access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
    }
    let answer = request(addr, "GET", "/status.json", &blog, b"").unwrap();
    let exposed = answer
        .header("access-control-expose-headers")
        .unwrap()
        .to_ascii_lowercase();
    for name in ["etag", "date", "x-jauge-events"] {
        assert!(exposed.contains(name), "{exposed}");
    }
    // The preflight a conditional request from another origin makes.
    let preflight = request(
        addr,
        "OPTIONS",
        "/status.json",
        &[
            ("Origin", "https://blog.example.org"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "if-none-match"),
        ],
        b"",
    )
    .unwrap();
    assert!(
        preflight.status == 200 || preflight.status == 204,
        "{preflight:?}"
    );
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    assert!(preflight
        .header("access-control-allow-headers")
        .unwrap()
        .contains("if-none-match"));
    assert!(preflight.header("access-control-max-age").is_some());
    // The webhooks are for the platforms' servers, not for pages.
    let hook = request(addr, "POST", "/hooks/stripe", &blog, b"{}").unwrap();
    assert_eq!(hook.header("access-control-allow-origin"), None);
    drop(served);

    // Restricted to one origin: it is named back, the others get nothing.
    let served = serve(
        work.path(),
        &[],
        &["--cors-origin", "https://blog.example.org"],
        "127.0.0.1:0",
    );
    let mine = request(served.addr, "GET", "/status.json", &blog, b"").unwrap();
    assert_eq!(
        mine.header("access-control-allow-origin"),
        Some("https://blog.example.org")
    );
    let other = request(
        served.addr,
        "GET",
        "/status.json",
        &[("Origin", "https://elsewhere.example")],
        b"",
    )
    .unwrap();
    assert_eq!(other.header("access-control-allow-origin"), None);
    // A value that is not an origin stops the server before it listens.
    let output = crate::support::jauge()
        .args([
            "serve",
            "--cors-origin",
            "blog.example.org/path",
            "--campaign",
        ])
        .arg(work.path().join("campaign.toml"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("is not an origin"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn push_streams_are_bounded() {
    let work = campaign_scratch();
    let served = serve(
        work.path(),
        &[],
        &["--max-event-streams", "2"],
        "127.0.0.1:0",
    );
    let _one = Events::open(served.addr);
    let _two = Events::open(served.addr);
    let third = request(served.addr, "GET", "/events", &[], b"").unwrap();
    assert_eq!(third.status, 503);
    assert!(third.header("retry-after").is_some());
    drop(_one);
    // A closed stream gives its place back.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut stream = TcpStream::connect(served.addr).unwrap();
        stream
            .write_all(b"GET /events HTTP/1.1\r\nHost: jauge.test\r\n\r\n")
            .unwrap();
        let mut line = String::new();
        BufReader::new(stream).read_line(&mut line).unwrap();
        if line.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "the place was never given back");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The campaign file is loaded once, and again when it is edited; an edit that does not load
/// keeps the last good campaign and says why.
#[test]
fn an_edit_of_the_campaign_file_is_followed_and_a_bad_one_kept_out() {
    let work = campaign_scratch();
    let campaign = work.path().join("campaign.toml");
    let served = serve(work.path(), &[], &[], "127.0.0.1:0");
    let addr = served.addr;
    let (_, before) = status_json(addr);
    let goal = before.campaign().goal.to_string();
    let card_before = named_card(addr);
    replace_line(&campaign, "goal", "goal = \"2500 EUR\"");
    let (_, after) = wait_for(addr, |d| d.campaign().goal.to_string() == "2500.00 EUR");
    // The rebuilt page names a new card (another goal is another figure); a page cached a
    // moment ago still finds the card it names.
    let started = Instant::now();
    while named_card(addr) == card_before {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the page never named a new card"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let earlier = request(addr, "GET", &format!("/{card_before}"), &[], b"").unwrap();
    assert_eq!(earlier.status, 200);
    assert_ne!(goal, after.campaign().goal.to_string());
    // A typo: the server keeps the last good campaign and says so.
    replace_line(&campaign, "goal", "goal = \"lots\"");
    let started = Instant::now();
    while !served
        .log
        .lock()
        .unwrap()
        .contains("kept the last good campaign")
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{}",
            served.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (_, still) = status_json(addr);
    assert_eq!(still.campaign().goal.to_string(), "2500.00 EUR");
}

/// `jauge status` and `jauge build` without `--at` are as of the moment they run: a gift
/// received a second ago counts, where a status rounded to the minute left it out.
#[test]
fn status_and_build_on_the_real_clock_count_the_gift_of_this_very_second() {
    let work = tempfile::tempdir().unwrap();
    running_now(work.path());
    let campaign = work.path().join("campaign.toml");
    // `jauge status --format json`, now: the document and what stderr said.
    let status_now = || {
        let output = crate::support::jauge()
            .args(["status", "--format", "json", "--campaign"])
            .arg(&campaign)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{said}");
        let text = String::from_utf8_lossy(&output.stdout);
        (jauge::StatusDocument::from_json(&text).unwrap(), said)
    };
    // No store yet: a campaign at zero, and the status says so rather than failing.
    let (zero, said) = status_now();
    assert!(said.contains("does not exist yet"), "{said}");
    assert_eq!(zero.donations(), 0);
    let just_now = (Utc::now() - chrono::Duration::seconds(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let ledger = work.path().join("now.csv");
    std::fs::write(
        &ledger,
        format!(
            "id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by\n\
             now-1,{just_now},25.00,EUR,confirmed,one_off,,online,someone,,,\n"
        ),
    )
    .unwrap();
    crate::support::import_into(&work.path().join("donations.db"), &ledger);
    let (status, _) = status_now();
    assert_eq!(status.raised().to_string(), "25.00 EUR");
    assert!(status.as_of() >= Utc::now() - chrono::Duration::seconds(30));
    let site = work.path().join("site");
    let built = crate::support::jauge()
        .args(["build", "--out"])
        .arg(&site)
        .arg("--widget")
        .arg(crate::support::widget_bundle(work.path()))
        .arg("--campaign")
        .arg(&campaign)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let document = std::fs::read_to_string(site.join("status.json")).unwrap();
    let document = jauge::StatusDocument::from_json(&document).unwrap();
    assert_eq!(document.raised().to_string(), "25.00 EUR");
}

/// A store nothing writes to is counted once, not again and again: each status closes its
/// connections, SQLite then deletes the store's WAL, and the watcher sees that file change. It
/// used to start the next count (35 statuses a second and 1.4 cores, for ever, on a store no
/// webhook writes to). An import by another process is still followed.
#[test]
fn a_store_no_one_writes_to_is_not_counted_again_and_again() {
    let work = tempfile::tempdir().unwrap();
    running_now(work.path());
    let import_now = |id: &str| {
        let ledger = work.path().join(format!("{id}.csv"));
        let just_now = (Utc::now() - chrono::Duration::seconds(1))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        std::fs::write(
            &ledger,
            format!(
                "id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by\n\
                 {id},{just_now},25.00,EUR,confirmed,one_off,,online,{id},,,\n"
            ),
        )
        .unwrap();
        crate::support::import_into(&work.path().join("donations.db"), &ledger);
    };
    import_now("first");
    // No webhook: no writer keeps a connection open on the store.
    let served = serve_at(work.path(), &[], &[], "127.0.0.1:0", None);
    let addr = served.addr;
    wait_for(addr, |d| d.donations() == 1);
    std::thread::sleep(Duration::from_secs(2));
    let cpu = || {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", served.pid())).unwrap();
        let fields: Vec<u64> = stat
            .rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        // utime and stime, in clock ticks (fields 14 and 15 of the line).
        fields[10] + fields[11]
    };
    let (started, before) = (Instant::now(), cpu());
    let mut tags = std::collections::BTreeSet::new();
    while started.elapsed() < Duration::from_secs(3) {
        tags.insert(status_json(addr).0);
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "idle for 3 s: {} statuses served, {} clock ticks of CPU",
        tags.len(),
        cpu() - before
    );
    // One more at most: the periodic rebuild (every minute) may fall in the window.
    assert!(
        tags.len() <= 2,
        "counted again for nothing: {} statuses",
        tags.len()
    );
    import_now("second");
    wait_for(addr, |d| d.donations() == 2);
}

/// `jauge serve` runs with glibc's settings for a server (two malloc arenas, a fixed mmap
/// threshold: it starts itself again once with them), and keeps a value the operator set; it is
/// the same process, answering at the same address.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_server_tunes_malloc_unless_told_otherwise() {
    for (env, expected) in [
        (
            vec![],
            ["MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=262144"],
        ),
        (
            vec![("MALLOC_ARENA_MAX", "4")],
            ["MALLOC_ARENA_MAX=4", "MALLOC_MMAP_THRESHOLD_=262144"],
        ),
        (
            vec![("MALLOC_MMAP_THRESHOLD_", "65536")],
            ["MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=65536"],
        ),
    ] {
        let work = tempfile::tempdir().unwrap();
        running_now(work.path());
        let served = serve_at(work.path(), &env, &[], "127.0.0.1:0", None);
        let environ = std::fs::read(format!("/proc/{}/environ", served.pid())).unwrap();
        let vars: Vec<&[u8]> = environ.split(|b| *b == 0).collect();
        for expected in expected {
            assert!(
                vars.contains(&expected.as_bytes()),
                "{expected} not in the server's environment"
            );
        }
        let answer = request(served.addr, "GET", "/status.json", &[], b"").unwrap();
        assert_eq!(answer.status, 200);
    }
}
