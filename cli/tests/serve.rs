//! `jauge serve` as the platforms and the internet meet it: signed webhooks committed before
//! their 2xx and shown by the next poll, exactly once through SIGKILLs, hostile requests
//! answered by HTTP rather than by a hung or desynchronised connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jauge_platforms::stripe;

use crate::support::{campaign_scratch, jauge, ledger_text, widget_bundle};

pub(crate) const SECRET: &str = "whsec_test_secret_for_jauge";
const AT: &str = "2023-12-26T07:00:00Z";

/// A running `jauge serve`, killed when dropped.
pub(crate) struct Served {
    child: Child,
    pub(crate) addr: SocketAddr,
    pub(crate) log: Arc<Mutex<String>>,
}

impl Served {
    /// The server's process id (the same after it starts itself again: `exec` keeps it).
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `jauge serve` on the campaign in `dir`, with `env` and `args`, at `addr` (port 0 for
/// any), as of [`AT`], and waits until it listens.
pub(crate) fn serve(dir: &Path, env: &[(&str, &str)], args: &[&str], addr: &str) -> Served {
    serve_at(dir, env, args, addr, Some(AT))
}

/// As [`serve`], as of `at`, or on the real clock.
pub(crate) fn serve_at(
    dir: &Path,
    env: &[(&str, &str)],
    args: &[&str],
    addr: &str,
    at: Option<&str>,
) -> Served {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("jauge"));
    command.arg("serve");
    if let Some(at) = at {
        command.args(["--at", at]);
    }
    command
        .args(["--addr", addr, "--campaign"])
        .arg(dir.join("campaign.toml"))
        .arg("--widget")
        .arg(widget_bundle(dir))
        .args(args)
        .env_remove("MALLOC_ARENA_MAX")
        .env_remove("MALLOC_MMAP_THRESHOLD_")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // No setting of the machine running the tests (a webhook secret, an API key) reaches the
    // server: only those the test gives.
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("JAUGE_") && !env.iter().any(|(k, _)| name == *k) {
            command.env_remove(name);
        }
    }
    let mut child = command.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let (found, address) = std::sync::mpsc::channel();
    let writer = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("jauge serve: http://") {
                let addr = rest.split('/').next().unwrap_or_default().to_owned();
                let _ = found.send(addr);
            }
            let mut log = writer.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
    let Ok(addr) = address.recv_timeout(Duration::from_secs(60)) else {
        let _ = child.kill();
        panic!("jauge serve did not start: {}", log.lock().unwrap());
    };
    Served {
        child,
        addr: addr.parse().unwrap(),
        log,
    }
}

/// `jauge serve` with Stripe's endpoint enabled, on any free port.
fn serve_stripe(dir: &Path, args: &[&str]) -> Served {
    serve(
        dir,
        &[("JAUGE_STRIPE_WEBHOOK_SECRET", SECRET)],
        args,
        "127.0.0.1:0",
    )
}

/// An answer: status, headers (names in lower case), body.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    head: String,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (key, value) = l.split_once(": ")?;
            key.eq_ignore_ascii_case(name).then_some(value)
        })
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends raw bytes on a new connection and reads until the server closes it (or `wait`).
fn raw(addr: SocketAddr, bytes: &[u8], wait: Duration) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(wait)).unwrap();
    let _ = stream.write_all(bytes);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    response
}

fn parse(response: &[u8]) -> Option<Answer> {
    let split = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some(Answer {
        status,
        head,
        body: response[split + 4..].to_vec(),
    })
}

/// One request on its own connection.
pub(crate) fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Answer> {
    request_as(addr, "jauge.test", method, path, headers, body)
}

/// One request on its own connection, for `host` (a server that tells sites or buckets apart
/// by name).
pub(crate) fn request_as(
    addr: SocketAddr,
    host: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    parse(&response).ok_or_else(|| std::io::Error::other("no HTTP answer"))
}

pub(crate) fn event(id: &str, kind: &str, live: bool, object: &str) -> String {
    format!(
        r#"{{"id":"{id}","object":"event","api_version":"2024-06-20","type":"{kind}","created":1702400000,"livemode":{live},"data":{{"object":{object}}}}}"#
    )
}

fn charge(id: &str, amount: i64, refunded: i64) -> String {
    format!(
        r#"{{"id":"{id}","object":"charge","amount":{amount},"amount_refunded":{refunded},"currency":"eur","created":1702368420,"status":"succeeded","paid":true,"billing_details":{{"email":"{id}@example.org"}}}}"#
    )
}

/// Posts `body` to Stripe's endpoint, signed now with `secret`.
pub(crate) fn post_stripe(addr: SocketAddr, body: &str, secret: &str) -> std::io::Result<Answer> {
    let now = chrono::Utc::now().timestamp();
    let signature = stripe::sign(secret, now, body.as_bytes());
    request(
        addr,
        "POST",
        "/hooks/stripe",
        &[
            ("Stripe-Signature", &signature),
            ("Content-Type", "application/json"),
        ],
        body.as_bytes(),
    )
}

pub(crate) fn status_json(addr: SocketAddr) -> (String, jauge::StatusDocument) {
    let answer = request(addr, "GET", "/status.json", &[], b"").unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    let document = jauge::StatusDocument::from_json(&answer.text()).unwrap();
    (answer.header("etag").unwrap().to_owned(), document)
}

/// Waits until `status.json` has another ETag than `etag`, and returns the new document.
fn next_status(addr: SocketAddr, etag: &str) -> jauge::StatusDocument {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (now, document) = status_json(addr);
        if now != etag {
            return document;
        }
        assert!(Instant::now() < deadline, "status.json never changed");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_signed_gift_is_committed_before_its_2xx_and_shown_by_the_next_poll() {
    let work = campaign_scratch();
    let served = serve_stripe(work.path(), &[]);
    let addr = served.addr;
    let (etag, before) = status_json(addr);
    assert_eq!(before.raised().to_string(), "390.00 EUR");

    let gift = event("evt_1", "charge.succeeded", true, &charge("ch_1", 4500, 0));
    let answer = post_stripe(addr, &gift, SECRET).unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    // Committed before the answer: the store holds it now.
    assert!(ledger_text(&work.path().join("donations.db")).contains("stripe:ch_1"));
    let after = next_status(addr, &etag);
    assert_eq!(after.raised().to_string(), "435.00 EUR");

    // A redelivery is taken once, and still answered 2xx.
    let again = post_stripe(addr, &gift, SECRET).unwrap();
    assert_eq!(again.status, 200, "{again:?}");
    assert!(again.text().contains("taken before"), "{}", again.text());

    // Refused without saying why: wrong secret, altered body, stale or future timestamp, no
    // header, a header that is not Stripe's.
    let other = event("evt_2", "charge.succeeded", true, &charge("ch_2", 1000, 0));
    let now = chrono::Utc::now().timestamp();
    let attempts: Vec<(&str, Option<String>, String)> = vec![
        (
            "wrong secret",
            Some(stripe::sign("whsec_wrong", now, other.as_bytes())),
            other.clone(),
        ),
        (
            "altered body",
            Some(stripe::sign(SECRET, now, other.as_bytes())),
            other.replace("1000", "100000"),
        ),
        (
            "stale",
            Some(stripe::sign(SECRET, now - 301, other.as_bytes())),
            other.clone(),
        ),
        (
            "future",
            Some(stripe::sign(SECRET, now + 301, other.as_bytes())),
            other.clone(),
        ),
        ("no header", None, other.clone()),
        ("not a header", Some("sha256=00".to_owned()), other.clone()),
    ];
    for (what, header, body) in attempts {
        let headers: Vec<(&str, &str)> = header
            .iter()
            .map(|h| ("Stripe-Signature", h.as_str()))
            .collect();
        let answer = request(addr, "POST", "/hooks/stripe", &headers, body.as_bytes()).unwrap();
        assert_eq!(answer.status, 400, "{what}: {answer:?}");
        assert_eq!(answer.text(), "bad request\n", "{what}");
    }
    // Signed but not an event: 400 as well.
    for body in [
        "{not json",
        "\u{fffd}",
        r#"{"id":"evt_3","type":"charge.succeeded","livemode":true,"data":{}}"#,
    ] {
        let answer = post_stripe(addr, body, SECRET).unwrap();
        assert_eq!(answer.status, 400, "{body}: {answer:?}");
        assert_eq!(answer.text(), "bad request\n");
    }
    let invalid_utf8 = request(
        addr,
        "POST",
        "/hooks/stripe",
        &[("Stripe-Signature", &stripe::sign(SECRET, now, b"\xff\xfe{"))],
        b"\xff\xfe{",
    )
    .unwrap();
    assert_eq!(invalid_utf8.status, 400);

    // Test payments on a live endpoint and unknown types: 2xx, ignored, never counted.
    let test_mode = event("evt_4", "charge.succeeded", false, &charge("ch_4", 9900, 0));
    let answer = post_stripe(addr, &test_mode, SECRET).unwrap();
    assert_eq!(answer.status, 200);
    assert!(answer.text().starts_with("ignored"), "{}", answer.text());
    let unknown = event(
        "evt_5",
        "customer.created",
        true,
        r#"{"id":"cus_1","object":"customer"}"#,
    );
    assert_eq!(post_stripe(addr, &unknown, SECRET).unwrap().status, 200);

    // A lost dispute before its charge: 409 (not yet), then applied once the charge is in.
    let dispute = event(
        "evt_6",
        "charge.dispute.closed",
        true,
        r#"{"id":"dp_1","object":"dispute","amount":2000,"charge":"ch_6","currency":"eur","status":"lost","created":1702390000}"#,
    );
    assert_eq!(post_stripe(addr, &dispute, SECRET).unwrap().status, 409);
    let paid = event("evt_7", "charge.succeeded", true, &charge("ch_6", 2000, 0));
    assert_eq!(post_stripe(addr, &paid, SECRET).unwrap().status, 200);
    assert_eq!(post_stripe(addr, &dispute, SECRET).unwrap().status, 200);

    // A GET of the endpoint, and a POST to a static file.
    let get = request(addr, "GET", "/hooks/stripe", &[], b"").unwrap();
    assert_eq!((get.status, get.header("allow")), (405, Some("POST")));
    let post = request(addr, "POST", "/status.json", &[], b"{}").unwrap();
    assert_eq!(post.status, 405);

    // Every event is journaled, with its outcome.
    let db = rusqlite::Connection::open(work.path().join("donations.db")).unwrap();
    let outcomes: Vec<(String, String)> = db
        .prepare("SELECT id, outcome FROM events ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let names: Vec<&str> = outcomes.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(
        names,
        ["evt_1", "evt_4", "evt_5", "evt_6", "evt_7"],
        "{outcomes:?}"
    );
    let log = served.log.lock().unwrap().clone();
    assert!(!log.contains(SECRET), "{log}");
    assert!(log.contains("refused a delivery"), "{log}");
}

#[test]
fn helloasso_by_signature_or_by_secret_path_and_allowlist() {
    let work = campaign_scratch();
    let key = "ha-signature-key";
    let notification = r#"{"eventType":"Payment","data":{"id":777,"amount":2500,"date":"2023-12-20T10:34:38.4293708+01:00","state":"Authorized","order":{"id":91,"formType":"Donation"},"payer":{"email":"hugo@example.org"}}}"#;
    let signed = serve(
        work.path(),
        &[("JAUGE_HELLOASSO_SIGNATURE_KEY", key)],
        &[],
        "127.0.0.1:0",
    );
    let signature =
        jauge_platforms::signature::hex_hmac(key.as_bytes(), &[notification.as_bytes()]);
    let bad = request(
        signed.addr,
        "POST",
        "/hooks/helloasso",
        &[("x-ha-signature", "00")],
        notification.as_bytes(),
    )
    .unwrap();
    assert_eq!(bad.status, 400);
    let good = request(
        signed.addr,
        "POST",
        "/hooks/helloasso",
        &[("x-ha-signature", &signature)],
        notification.as_bytes(),
    )
    .unwrap();
    assert_eq!(good.status, 200, "{good:?}: {}", signed.log.lock().unwrap());
    assert!(good.text().starts_with("applied"), "{}", good.text());
    drop(signed);

    let token = "0123456789abcdef0123456789abcdef-token";
    let path = format!("/hooks/helloasso/{token}");
    let by_path = serve(
        work.path(),
        &[("JAUGE_HELLOASSO_PATH_TOKEN", token)],
        &["--helloasso-allow", "127.0.0.0/8"],
        "127.0.0.1:0",
    );
    // A wrong token is any other path.
    let wrong = request(
        by_path.addr,
        "POST",
        "/hooks/helloasso/0123456789abcdef0123456789abcdef-tokeN",
        &[],
        notification.as_bytes(),
    )
    .unwrap();
    let elsewhere = request(
        by_path.addr,
        "POST",
        "/nothing-here",
        &[],
        notification.as_bytes(),
    )
    .unwrap();
    assert_eq!(
        (wrong.status, wrong.body),
        (elsewhere.status, elsewhere.body)
    );
    let right = request(by_path.addr, "POST", &path, &[], notification.as_bytes()).unwrap();
    assert_eq!(right.status, 200, "{right:?}");
    assert!(right.text().starts_with("taken before"), "{}", right.text());
    assert!(!by_path.log.lock().unwrap().contains(token));
    drop(by_path);

    let elsewhere = serve(
        work.path(),
        &[("JAUGE_HELLOASSO_PATH_TOKEN", token)],
        &["--helloasso-allow", "192.0.2.0/24"],
        "127.0.0.1:0",
    );
    let refused = request(elsewhere.addr, "POST", &path, &[], notification.as_bytes()).unwrap();
    assert_eq!(refused.status, 403);
}

#[test]
fn a_short_token_or_an_open_secrets_file_stops_the_server_before_it_listens() {
    let work = campaign_scratch();
    let output = jauge()
        .args(["serve", "--addr", "127.0.0.1:0", "--campaign"])
        .arg(work.path().join("campaign.toml"))
        .env("JAUGE_HELLOASSO_PATH_TOKEN", "short-secret")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("JAUGE_HELLOASSO_PATH_TOKEN") && !said.contains("short-secret"),
        "{said}"
    );
    let secrets = work.path().join("secrets.env");
    std::fs::write(&secrets, format!("JAUGE_STRIPE_WEBHOOK_SECRET={SECRET}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = jauge()
        .args(["serve", "--addr", "127.0.0.1:0", "--secrets"])
        .arg(&secrets)
        .arg("--campaign")
        .arg(work.path().join("campaign.toml"))
        .env_remove("JAUGE_STRIPE_WEBHOOK_SECRET")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("chmod 600") && !said.contains(SECRET),
        "{said}"
    );
}

#[test]
fn hostile_requests_get_http_answers_and_never_a_second_response() {
    let work = campaign_scratch();
    let served = serve_stripe(work.path(), &["--body-timeout", "2"]);
    let addr = served.addr;
    let short = Duration::from_secs(3);
    // A body that is itself a request is a body: one answer, never two.
    let inner = b"GET /status.json HTTP/1.1\r\nHost: x\r\n\r\n";
    for method in ["GET", "POST"] {
        let mut smuggle = format!(
            "{method} /badge.svg HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
            inner.len()
        )
        .into_bytes();
        smuggle.extend_from_slice(inner);
        let response = raw(addr, &smuggle, short);
        let answers = response.windows(9).filter(|w| w == b"HTTP/1.1 ").count();
        assert_eq!(
            answers,
            1,
            "{method}: {}",
            String::from_utf8_lossy(&response)
        );
    }
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        (
            "two conflicting lengths",
            b"POST /hooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcdefg".to_vec(),
            400,
        ),
        ("a header without a colon", b"GET / HTTP/1.1\r\nHost x\r\n\r\n".to_vec(), 400),
        ("a malformed request line", b"GARBAGE\r\n\r\n".to_vec(), 400),
        ("HTTP/2.0 on an HTTP/1 port", b"GET / HTTP/2.0\r\nHost: x\r\n\r\n".to_vec(), 400),
        (
            "a body past the limit, declared",
            b"POST /hooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n".to_vec(),
            413,
        ),
        (
            "a slow body",
            b"POST /hooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc".to_vec(),
            408,
        ),
    ];
    for (what, bytes, expected) in cases {
        let response = raw(addr, &bytes, Duration::from_secs(10));
        let answer = parse(&response).unwrap_or_else(|| panic!("{what}: no answer"));
        assert_eq!(answer.status, expected, "{what}: {}", answer.head);
    }
    for size in [20_000, 100_000, 1_000_000] {
        let mut big = b"GET /status.json HTTP/1.1\r\nHost: x\r\nX-Padding: ".to_vec();
        big.resize(big.len() + size, b'x');
        big.extend_from_slice(b"\r\n\r\n");
        let answer = parse(&raw(addr, &big, short)).unwrap_or_else(|| panic!("{size}: no answer"));
        assert_eq!(answer.status, 431, "{size}");
    }
    // A chunked body past the limit, undeclared.
    let mut chunked =
        b"POST /hooks/stripe HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..2 {
        chunked.extend_from_slice(b"100000\r\n");
        chunked.resize(chunked.len() + 0x100000, b'a');
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(parse(&raw(addr, &chunked, short)).unwrap().status, 413);
    // After all that, the server still answers.
    assert_eq!(
        request(addr, "GET", "/status.json", &[], b"")
            .unwrap()
            .status,
        200
    );
}

#[test]
fn ten_thousand_idle_connections_do_not_keep_a_webhook_out() {
    let work = campaign_scratch();
    // Idle connections are let be for the whole test (the default closes them after 10 s),
    // however long a loaded machine takes to open them.
    let served = serve_stripe(work.path(), &["--header-timeout", "600"]);
    let addr = served.addr;
    let mut idle = Vec::with_capacity(10_000);
    let connecting = Instant::now();
    for _ in 0..10_000 {
        match TcpStream::connect(addr) {
            Ok(stream) => idle.push(stream),
            Err(e) => panic!("connection {} refused: {e}", idle.len()),
        }
    }
    let connected_in = connecting.elapsed();
    let until = Instant::now() + Duration::from_secs(20);
    let mut n = 0;
    let mut slowest = Duration::ZERO;
    while Instant::now() < until {
        n += 1;
        let body = event(
            &format!("evt_idle_{n}"),
            "charge.succeeded",
            true,
            &charge(&format!("ch_idle_{n}"), 100, 0),
        );
        let started = Instant::now();
        let answer = post_stripe(addr, &body, SECRET).unwrap();
        slowest = slowest.max(started.elapsed());
        assert_eq!(answer.status, 200, "{answer:?}");
        std::thread::sleep(Duration::from_millis(500));
    }
    // The idle connections are still open: none was dropped to make room.
    let mut still_open = 0;
    let mut ended = Vec::new();
    for stream in &mut idle {
        stream.set_nonblocking(true).unwrap();
        let mut byte = [0u8; 1];
        match stream.read(&mut byte) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => still_open += 1,
            other => ended.push(format!("{other:?}")),
        }
    }
    ended.dedup();
    assert_eq!(
        still_open,
        10_000,
        "{ended:?}: {}",
        served.log.lock().unwrap()
    );
    assert!(n >= 10, "{n} webhooks in 20 s");
    let peak = std::fs::read_to_string(format!("/proc/{}/status", served.child.id()))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .unwrap_or_default();
    eprintln!(
        "{n} webhooks beside 10,000 idle connections (opened in {connected_in:?}), the slowest answered in {slowest:?}; server {peak}"
    );
}

#[test]
fn shutdown_lets_the_request_in_flight_finish() {
    let work = campaign_scratch();
    let served = serve_stripe(work.path(), &[]);
    let body = event(
        "evt_last",
        "charge.succeeded",
        true,
        &charge("ch_last", 700, 0),
    );
    let signature = stripe::sign(SECRET, chrono::Utc::now().timestamp(), body.as_bytes());
    let mut stream = TcpStream::connect(served.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /hooks/stripe HTTP/1.1\r\nHost: x\r\nStripe-Signature: {signature}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body.as_bytes()[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let pid = served.child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(Duration::from_millis(300));
    // Stopped listening, still finishing.
    assert!(TcpStream::connect(served.addr).is_err());
    stream.write_all(&body.as_bytes()[10..]).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let answer = parse(&response).expect("an answer");
    assert_eq!(answer.status, 200, "{answer:?}");
    let mut served = served;
    let exit = served.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    assert!(ledger_text(&work.path().join("donations.db")).contains("stripe:ch_last"));
}

/// Posts events `from..to`, each retried until it gets a 2xx, as a platform does.
fn deliver_with_retries(addr: SocketAddr, ids: std::ops::Range<usize>) -> usize {
    let mut retries = 0;
    for n in ids {
        let body = event(
            &format!("evt_k{n}"),
            "charge.succeeded",
            true,
            &charge(&format!("ch_k{n}"), 100 + n as i64, 0),
        );
        loop {
            match post_stripe(addr, &body, SECRET) {
                Ok(answer) if answer.status == 200 => break,
                _ => {
                    retries += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
    }
    retries
}

#[test]
fn every_event_lands_exactly_once_through_sigkills() {
    const EVENTS: usize = 4_000;
    const SENDERS: usize = 4;
    let work = campaign_scratch();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let addr = port.to_string();
    let env = [("JAUGE_STRIPE_WEBHOOK_SECRET", SECRET)];
    let server = Arc::new(Mutex::new(Some(serve(work.path(), &env, &[], &addr))));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let killer = {
        let server = server.clone();
        let done = done.clone();
        let dir = work.path().to_owned();
        let addr = addr.clone();
        std::thread::spawn(move || {
            let mut kills = 0;
            let mut seed = 0x9e37_79b9_u64;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                std::thread::sleep(Duration::from_millis(100 + seed % 400));
                let mut slot = server.lock().unwrap();
                if let Some(mut running) = slot.take() {
                    running.child.kill().unwrap(); // SIGKILL
                    running.child.wait().unwrap();
                    kills += 1;
                }
                *slot = Some(serve(&dir, &env, &[], &addr));
            }
            kills
        })
    };
    let senders: Vec<_> = (0..SENDERS)
        .map(|s| {
            std::thread::spawn(move || {
                deliver_with_retries(port, s * EVENTS / SENDERS..(s + 1) * EVENTS / SENDERS)
            })
        })
        .collect();
    let retries: usize = senders.into_iter().map(|s| s.join().unwrap()).sum();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let kills = killer.join().unwrap();
    drop(server.lock().unwrap().take());
    assert!(kills >= 3, "only {kills} kills: the test proved little");
    let ledger = ledger_text(&work.path().join("donations.db"));
    let delivered: Vec<&str> = ledger
        .lines()
        .filter(|l| l.starts_with("stripe:ch_k"))
        .collect();
    assert_eq!(delivered.len(), EVENTS, "{kills} kills, {retries} retries");
    let output = jauge()
        .args(["status", "--format", "json", "--at", AT, "--campaign"])
        .arg(work.path().join("campaign.toml"))
        .output()
        .unwrap();
    let status =
        jauge::StatusDocument::from_json(&String::from_utf8_lossy(&output.stdout)).unwrap();
    let cents: i64 = (0..EVENTS as i64).map(|n| 100 + n).sum::<i64>() + 39_000;
    assert_eq!(
        status.raised().to_string(),
        format!("{}.{:02} EUR", cents / 100, cents % 100),
        "{kills} kills, {retries} retries"
    );
    eprintln!("{EVENTS} events exactly once through {kills} SIGKILLs ({retries} retries)");
}
