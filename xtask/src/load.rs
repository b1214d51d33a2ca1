//! `cargo xtask load`: a bounded load test of `jauge serve` on loopback. The release binary
//! serves the example campaign's site; N clients, each on its own keep-alive connection, poll
//! `status.json` as the widget does (with `If-None-Match`, so mostly 304s), then download it in
//! full every time, for a fixed time each. Prints requests per second and latency percentiles.
//! Only 127.0.0.1 is ever contacted, and every loop stops by itself.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use super::client::Connection;

/// One scenario's figures.
pub struct Figures {
    pub requests: usize,
    pub errors: usize,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

fn etag_of(addr: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET /status.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    text.lines()
        .find_map(|l| {
            let (name, value) = l.split_once(": ")?;
            name.eq_ignore_ascii_case("etag").then_some(value)
        })
        .map(str::to_owned)
        .ok_or_else(|| "no ETag on status.json".into())
}

/// `clients` connections polling for `duration`, conditionally or not.
pub fn scenario(
    addr: &str,
    clients: usize,
    duration: Duration,
    conditional: bool,
) -> Result<Figures, String> {
    let etag = etag_of(addr)?;
    let request = if conditional {
        format!("GET /status.json HTTP/1.1\r\nHost: x\r\nIf-None-Match: {etag}\r\n\r\n")
    } else {
        "GET /status.json HTTP/1.1\r\nHost: x\r\n\r\n".to_owned()
    };
    let expected = if conditional { 304 } else { 200 };
    let start = Instant::now();
    let deadline = start + duration;
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (addr, request) = (addr.to_owned(), request.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut errors = 0;
                let Ok(mut connection) = Connection::open(&addr) else {
                    return (latencies, 1);
                };
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    match connection.exchange(&request, b"") {
                        Ok((status, _, _)) if status == expected => latencies.push(sent.elapsed()),
                        _ => {
                            errors += 1;
                            break;
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (l, e) = worker.join().map_err(|_| "a client thread panicked")?;
        latencies.extend(l);
        errors += e;
    }
    let seconds = start.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Ok(Figures {
        requests: latencies.len(),
        errors,
        seconds,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        max_ms: latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    })
}

/// Starts `jauge serve` (release build) for the example campaign on a free loopback port.
fn start_jauge_serve(root: &std::path::Path) -> Result<(super::Background, String), String> {
    let addr = super::free_loopback_address()?;
    let mut command = Command::new(root.join("target/release/jauge"));
    command
        .args([
            "serve",
            "--at",
            "2023-12-26T08:00:00+01:00",
            "--addr",
            &addr,
            "--campaign",
        ])
        .arg(super::example_campaign(root)?)
        .arg("--widget")
        .arg(root.join("dist"));
    Ok((super::start_server(command, &addr)?, addr))
}

pub fn run(root: &std::path::Path, clients: usize, seconds: u64) -> Result<(), String> {
    super::dist::run(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(root)
            .args(["build", "--quiet", "--release", "-p", "jauge-cli"]),
    )?;
    if !root.join("dist/jauge_bg.wasm").exists() {
        super::dist::build(root, &root.join("dist"))?;
    }
    let (_server, addr) = start_jauge_serve(root)?;
    println!("jauge serve on {addr}: {clients} clients on keep-alive connections, {seconds} s per scenario");
    println!(
        "scenario                         requests   req/s    p50 ms   p99 ms   max ms  errors"
    );
    for (label, conditional) in [
        ("poll with If-None-Match (304)", true),
        ("full download (200)", false),
    ] {
        let f = scenario(&addr, clients, Duration::from_secs(seconds), conditional)?;
        println!(
            "{label:<32} {:>8} {:>7.0} {:>9.2} {:>8.2} {:>8.2} {:>7}",
            f.requests,
            f.requests as f64 / f.seconds,
            f.p50_ms,
            f.p99_ms,
            f.max_ms,
            f.errors
        );
        if f.errors > 0 {
            return Err(format!("{label}: {} clients failed", f.errors));
        }
    }
    Ok(())
}
