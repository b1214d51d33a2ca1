//! A local server answering as a platform's API does: each resource at its path as it now
//! stands, list pages in turn, scripted faults before anything else, and a 401 to a request
//! without the expected credentials. Every request's head is kept.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub(crate) struct State {
    /// Each resource's JSON, by path (`/payments/PM1`).
    pub(crate) resources: HashMap<String, String>,
    /// Pages of a list, by path and the value of one query parameter that tells lists apart
    /// (`/events` and `resource_type=payments`; `/v2/refunds` and ""), in turn.
    pub(crate) pages: HashMap<(String, String), Vec<String>>,
    /// The query parameter that tells lists at one path apart (`resource_type`), if any.
    pub(crate) list_key: &'static str,
    /// The page answered once a list's pages are all given.
    pub(crate) empty_page: String,
    /// Answers given before any other, in turn: (status, extra headers, body).
    pub(crate) faults: Vec<(u16, &'static str, &'static str)>,
    /// What every request's head must hold, in lower case (`authorization: bearer …`).
    pub(crate) required: Vec<String>,
    /// Each request's head.
    pub(crate) requests: Vec<String>,
    /// Read each request and never answer (a server that hangs).
    pub(crate) hang: bool,
    /// Paths answered 403 (what an account is not allowed to see).
    pub(crate) refused: Vec<String>,
}

pub(crate) struct FakeApi {
    pub(crate) addr: SocketAddr,
    pub(crate) state: Arc<Mutex<State>>,
}

impl FakeApi {
    pub(crate) fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Whether a request held `what`.
    pub(crate) fn asked(&self, what: &str) -> bool {
        let state = self.state.lock().unwrap();
        state.requests.iter().any(|r| r.contains(what))
    }
}

pub(crate) fn fake_api(required: &[String], list_key: &'static str, empty_page: &str) -> FakeApi {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let state = Arc::new(Mutex::new(State {
        required: required.to_vec(),
        list_key,
        empty_page: empty_page.to_owned(),
        ..State::default()
    }));
    let shared = state.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let state = shared.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                if state.lock().unwrap().hang {
                    state.lock().unwrap().requests.push(head);
                    std::thread::sleep(std::time::Duration::from_secs(30));
                    return;
                }
                let (status, extra, body) = answer(&state, &head);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    FakeApi { addr, state }
}

fn answer(state: &Mutex<State>, head: &str) -> (u16, &'static str, String) {
    let mut state = state.lock().unwrap();
    state.requests.push(head.to_owned());
    let lower = head.to_lowercase();
    if !state.required.iter().all(|r| lower.contains(r.as_str())) {
        return (
            401,
            "",
            r#"{"error":{"message":"Invalid credentials"},"status":401}"#.into(),
        );
    }
    if !state.faults.is_empty() {
        let (status, extra, body) = state.faults.remove(0);
        return (status, extra, body.into());
    }
    let target = head.split(' ').nth(1).unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if state.refused.iter().any(|r| r == path) {
        return (403, "", r#"{"error_message_short":"Forbidden"}"#.into());
    }
    if let Some(resource) = state.resources.get(path) {
        return (200, "", resource.clone());
    }
    let which = query
        .split('&')
        .find_map(|p| p.strip_prefix(&format!("{}=", state.list_key)))
        .unwrap_or_default()
        .to_owned();
    let empty = state.empty_page.clone();
    if let Some(pages) = state.pages.get_mut(&(path.to_owned(), which)) {
        return (
            200,
            "",
            if pages.is_empty() {
                empty
            } else {
                pages.remove(0)
            },
        );
    }
    (
        404,
        "",
        r#"{"error":{"message":"Not found"},"status":404}"#.into(),
    )
}
