//! A minimal HTTP/1.1 client for the load generators: one keep-alive connection, requests
//! written whole, answers read by their `Content-Length`, a new connection when the server
//! closes one after its requests-per-connection limit.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// One keep-alive connection.
pub struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    closing: bool,
}

impl Connection {
    pub fn open(addr: &str) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Connection {
            writer: stream.try_clone()?,
            reader: BufReader::new(stream),
            closing: false,
        })
    }

    /// Sends `head` and `body`, returns the status, the ETag and the body of the answer.
    /// Past the server's requests per connection, the next exchange opens a new connection
    /// (as an HTTP client library does).
    pub fn exchange(&mut self, head: &str, body: &[u8]) -> std::io::Result<(u16, String, Vec<u8>)> {
        if self.closing {
            let addr = self.writer.peer_addr()?;
            *self = Connection::open(&addr.to_string())?;
        }
        self.writer.write_all(head.as_bytes())?;
        self.writer.write_all(body)?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let (mut length, mut etag) = (0usize, String::new());
        loop {
            let mut header = String::new();
            if self.reader.read_line(&mut header)? == 0 {
                return Err(std::io::Error::other("connection closed"));
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("etag") {
                    etag = value.trim().to_owned();
                } else if name.eq_ignore_ascii_case("connection") {
                    self.closing = value.trim().eq_ignore_ascii_case("close");
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, etag, body))
    }
}
