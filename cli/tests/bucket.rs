//! The public files published to an S3-compatible bucket (`--publish-to`), against a real S3
//! implementation run locally: moto's server (`pip install 'moto[server]'`, which
//! `cargo xtask test` installs). Every change reaches the bucket, only what changed is written,
//! with the content type and cache rule jauge serves, and a bucket that fails never holds up a
//! gift and is caught up when it answers again.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::live::{charge_now, running_now};
use crate::serve::{
    event, post_stripe, request, request_as, serve_at, status_json, Answer, SECRET,
};

/// The bucket's key, which no log or message may show.
const BUCKET_SECRET: &str = "bucket-secret-never-shown";
const BUCKET: &str = "jauge-site";

/// moto's S3 server on loopback, stopped when dropped.
struct Moto {
    child: Child,
    addr: SocketAddr,
    /// Its access log: a line per request (`"PUT /bucket/key HTTP/1.1" 200`).
    log: Arc<Mutex<String>>,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free port on loopback (free when asked; nothing else of the test binds ports by number).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Moto {
    /// Starts moto's server on `port`, with an empty bucket readable by anyone (as a public
    /// bucket behind a CDN is).
    fn start(port: u16) -> Moto {
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = child.unwrap_or_else(|e| {
            panic!(
                "python3 -m moto.server ({e}): the S3 server these tests publish to; install it \
                 with `pip install 'moto[server]==5.2.6'` (cargo xtask test does)"
            )
        });
        let log = Arc::new(Mutex::new(String::new()));
        let writer = log.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = writer.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let started = Instant::now();
        let mut moto = Moto { child, addr, log };
        while moto
            .send("PUT", &format!("/{BUCKET}"), &[], b"")
            .map(|a| a.status)
            != Ok(200)
        {
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!(
                    "moto's server stopped ({status}): {}",
                    moto.log.lock().unwrap()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "moto's server did not start: {}",
                moto.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{BUCKET}/*"}}]}}"#
        );
        let answer = moto
            .send("PUT", &format!("/{BUCKET}?policy"), &[], policy.as_bytes())
            .unwrap();
        assert!(answer.status < 300, "{}", answer.text());
        moto
    }

    /// A request as a reader (no credentials) would make it.
    fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Answer, String> {
        request_as(
            self.addr,
            &self.addr.to_string(),
            method,
            path,
            headers,
            body,
        )
        .map_err(|e| e.to_string())
    }

    /// A public file of the site, read from the bucket as a reader would.
    fn get(&self, name: &str) -> Answer {
        self.send("GET", &format!("/{BUCKET}/campaign/{name}"), &[], b"")
            .unwrap()
    }

    /// The bucket's keys.
    fn keys(&self) -> Vec<String> {
        let listing = self
            .send("GET", &format!("/{BUCKET}?list-type=2"), &[], b"")
            .unwrap()
            .text();
        listing
            .split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split("</Key>").next())
            .map(str::to_owned)
            .collect()
    }

    /// How many times the bucket was asked to write `key`.
    fn writes(&self, key: &str) -> usize {
        let asked = format!("\"PUT /{BUCKET}/{key} HTTP/1.1\"");
        self.log.lock().unwrap().matches(&asked).count()
    }

    /// Reads the status document from the bucket until it passes `test`, 60 s at most.
    fn wait_for_status(&self, test: impl Fn(&jauge::StatusDocument) -> bool) {
        let started = Instant::now();
        loop {
            let answer = self.get("status.json");
            if answer.status == 200 {
                if let Ok(document) = jauge::StatusDocument::from_json(&answer.text()) {
                    if test(&document) {
                        return;
                    }
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the bucket's status.json never showed it ({})",
                answer.status
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The environment `jauge serve` reaches the local bucket with.
fn bucket_env(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("JAUGE_STRIPE_WEBHOOK_SECRET", SECRET.to_owned()),
        ("AWS_ACCESS_KEY_ID", "jauge-test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", BUCKET_SECRET.to_owned()),
        ("AWS_REGION", "eu-west-3".to_owned()),
        ("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}")),
        ("AWS_ALLOW_HTTP", "true".to_owned()),
    ]
}

fn serve_publishing(dir: &Path, port: u16) -> crate::serve::Served {
    let env = bucket_env(port);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    serve_at(
        dir,
        &env,
        &["--publish-to", &format!("s3://{BUCKET}/campaign")],
        "127.0.0.1:0",
        None,
    )
}

/// Waits until the server's log has a line containing `words`, 60 s at most.
fn wait_for_log(log: &Mutex<String>, words: &str) {
    let started = Instant::now();
    while !log.lock().unwrap().contains(words) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the log never said {words:?}: {}",
            log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn every_change_reaches_the_bucket_and_only_what_changed_is_written() {
    let moto = Moto::start(free_port());
    let work = tempfile::tempdir().unwrap();
    running_now(work.path());
    let served = serve_publishing(work.path(), moto.addr.port());
    let addr = served.addr;
    wait_for_log(&served.log, "files (");
    moto.wait_for_status(|d| d.donations() == 0);

    // The bucket holds the site's public files, as jauge serve serves them: the same bytes,
    // content type and cache rule, and no `_headers` (a rules file for Netlify-like hosts).
    let keys = moto.keys();
    assert!(!keys.iter().any(|k| k.contains("_headers")), "{keys:?}");
    let wasm = keys
        .iter()
        .find(|k| k.starts_with("campaign/jauge_bg-") && k.ends_with(".wasm"))
        .unwrap_or_else(|| panic!("no bundle: {keys:?}"))
        .clone();
    let page = request(addr, "GET", "/", &[], b"").unwrap().text();
    let card = page
        .split("card-")
        .nth(1)
        .and_then(|rest| rest.split(".png").next())
        .map(|hash| format!("card-{hash}.png"))
        .unwrap_or_else(|| panic!("no card named: {page}"));
    let bundle = wasm.trim_start_matches("campaign/");
    for name in [
        "index.html",
        "embed.html",
        "jauge.js",
        bundle,
        &card,
        "badge.svg",
        "snippet.html",
    ] {
        let (ours, theirs) = (
            request(addr, "GET", &format!("/{name}"), &[], b"").unwrap(),
            moto.get(name),
        );
        assert_eq!(theirs.status, 200, "{name} in the bucket");
        assert!(
            ours.body == theirs.body,
            "{name}: the bucket's bytes differ"
        );
        for header in ["content-type", "cache-control"] {
            assert_eq!(
                ours.header(header),
                theirs.header(header),
                "{name}: {header}"
            );
        }
    }
    assert_eq!(
        moto.get("status.json").header("cache-control"),
        Some("public, max-age=0, s-maxage=5, stale-while-revalidate=30")
    );
    // A reader polling the bucket costs a 304 while nothing changes.
    let etag = moto.get("status.json").header("etag").unwrap().to_owned();
    let again = moto
        .send(
            "GET",
            &format!("/{BUCKET}/campaign/status.json"),
            &[("If-None-Match", &etag)],
            b"",
        )
        .unwrap();
    assert_eq!(again.status, 304);

    // A gift made now: in the bucket's status.json moments after its 2xx.
    let gift = event(
        "evt_bucket",
        "charge.succeeded",
        true,
        &charge_now("ch_bucket", 4500, "eur"),
    );
    let answer = post_stripe(addr, &gift, SECRET).unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    let answered = Instant::now();
    moto.wait_for_status(|d| d.raised().to_string() == "45.00 EUR");
    eprintln!(
        "a gift in the bucket's status.json {} ms after its 2xx",
        answered.elapsed().as_millis()
    );
    assert_eq!(status_json(addr).1.raised().to_string(), "45.00 EUR");
    // The content-hashed bundle was written once; the status document once per change.
    assert_eq!(moto.writes(&wasm), 1, "{}", moto.log.lock().unwrap());
    assert!(moto.writes("campaign/status.json") >= 2);
    let log = served.log.lock().unwrap().clone();
    assert!(!log.contains(BUCKET_SECRET), "{log}");
}

#[test]
fn a_bucket_that_fails_never_holds_up_a_gift_and_is_caught_up() {
    // The bucket's server is not there yet: every write fails.
    let port = free_port();
    let work = tempfile::tempdir().unwrap();
    running_now(work.path());
    let served = serve_publishing(work.path(), port);
    let addr = served.addr;
    wait_for_log(
        &served.log,
        &format!("could not publish to s3://{BUCKET}/campaign"),
    );

    // Gifts are still taken at once, and shown by jauge serve itself.
    let gift = event(
        "evt_down",
        "charge.succeeded",
        true,
        &charge_now("ch_down", 2000, "eur"),
    );
    let sent = Instant::now();
    let answer = post_stripe(addr, &gift, SECRET).unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(
        sent.elapsed() < Duration::from_secs(5),
        "{:?}",
        sent.elapsed()
    );
    let started = Instant::now();
    while status_json(addr).1.raised().to_string() != "20.00 EUR" {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }

    // The bucket answers again: the whole site is published, with the gift.
    let moto = Moto::start(port);
    moto.wait_for_status(|d| d.raised().to_string() == "20.00 EUR");
    wait_for_log(&served.log, "again after");
    let keys = moto.keys();
    for name in [
        "campaign/index.html",
        "campaign/jauge.js",
        "campaign/badge.svg",
    ] {
        assert!(keys.iter().any(|k| k == name), "{name}: {keys:?}");
    }
    let log = served.log.lock().unwrap().clone();
    assert_eq!(
        log.matches("could not publish").count(),
        1,
        "said once: {log}"
    );
    assert!(!log.contains(BUCKET_SECRET), "{log}");
}

#[test]
fn jauge_build_publishes_once_and_refuses_what_is_not_a_bucket() {
    let moto = Moto::start(free_port());
    let work = tempfile::tempdir().unwrap();
    running_now(work.path());
    // Something else the folder holds is left alone.
    let put = moto
        .send(
            "PUT",
            &format!("/{BUCKET}/campaign/notes.txt"),
            &[],
            b"ours",
        )
        .unwrap();
    assert_eq!(put.status, 200);
    let build = |args: &[&str]| {
        let mut command = crate::support::jauge();
        command
            .arg("build")
            .arg("--campaign")
            .arg(work.path().join("campaign.toml"))
            .arg("--widget")
            .arg(crate::support::widget_bundle(work.path()))
            .args(args);
        // The keys from a secrets file, the rest from the environment.
        let secrets = work.path().join("secrets.env");
        std::fs::write(
            &secrets,
            format!("AWS_ACCESS_KEY_ID=jauge-test\nAWS_SECRET_ACCESS_KEY={BUCKET_SECRET}\n"),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        for (name, value) in bucket_env(moto.addr.port()) {
            if !name.starts_with("AWS_ACCESS") && !name.starts_with("AWS_SECRET") {
                command.env(name, value);
            }
        }
        command
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .arg("--secrets")
            .arg(&secrets);
        command.output().unwrap()
    };
    let output = build(&["--publish-to", &format!("s3://{BUCKET}/campaign")]);
    let said = crate::support::stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains(&format!("s3://{BUCKET}/campaign: ")),
        "{said}"
    );
    assert!(!said.contains(BUCKET_SECRET), "{said}");
    moto.wait_for_status(|d| d.donations() == 0);
    assert_eq!(moto.get("notes.txt").text(), "ours");
    assert_eq!(
        moto.get("index.html").header("content-type"),
        Some("text/html; charset=utf-8")
    );

    for (url, expected) in [
        ("https://example.org/site", "an S3 address"),
        ("s3://", "an S3 address"),
    ] {
        let output = build(&["--publish-to", url]);
        let said = crate::support::stderr(&output);
        assert!(!output.status.success());
        assert!(said.contains(expected), "{url}: {said}");
    }
    // A bucket that does not exist: the error names the file and the bucket, not the key.
    let output = build(&["--publish-to", "s3://no-such-bucket/x"]);
    let said = crate::support::stderr(&output);
    assert!(!output.status.success());
    assert!(
        said.contains("could not publish to s3://no-such-bucket/x"),
        "{said}"
    );
    assert!(!said.contains(BUCKET_SECRET), "{said}");
}
