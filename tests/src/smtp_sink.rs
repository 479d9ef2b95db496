//! A real SMTP server on loopback that keeps what it receives. It speaks
//! enough of RFC 5321 for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT),
//! can be told to refuse the next messages with a 4xx or 5xx reply, and can
//! hold some recipients' messages (a relay stuck for them) until released.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// One accepted message.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
    /// When the sink answered 250 to the message's DATA.
    pub received_at: std::time::SystemTime,
}

impl ReceivedMail {
    pub fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.data).expect("valid MIME message")
    }

    pub fn header(&self, name: &str) -> Option<String> {
        use mailparse::MailHeaderMap;
        self.parsed().headers.get_first_value(name)
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// The decoded bodies of every leaf part, by MIME type.
    pub fn parts(&self) -> Vec<(String, String)> {
        fn walk(part: &mailparse::ParsedMail<'_>, out: &mut Vec<(String, String)>) {
            if part.subparts.is_empty() {
                out.push((part.ctype.mimetype.clone(), part.get_body().unwrap_or_default()));
            }
            for sub in &part.subparts {
                walk(sub, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.parsed(), &mut out);
        out
    }

    pub fn part(&self, mimetype: &str) -> Option<String> {
        self.parts().into_iter().find(|(t, _)| t == mimetype).map(|(_, body)| body)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 451: try again later.
    Transient,
    /// 550: mailbox unavailable.
    Permanent,
}

#[derive(Default)]
struct State {
    received: Vec<ReceivedMail>,
    /// Refuse this many upcoming messages.
    refuse_next: usize,
    refusal: Option<Refusal>,
}

#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    state: Arc<Mutex<State>>,
    /// Messages to recipients starting with this prefix wait at DATA.
    held: Arc<watch::Sender<Option<String>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp sink");
        let port = listener.local_addr().expect("addr").port();
        let state = Arc::new(Mutex::new(State::default()));
        let held = Arc::new(watch::Sender::new(None));
        let (shared, holds) = (state.clone(), held.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, shared.clone(), holds.subscribe()));
            }
        });
        SmtpSink { port, state, held }
    }

    /// Messages to recipients whose address starts with `prefix` are not
    /// answered (the relay is stuck for them) until `release_held`.
    pub fn hold(&self, prefix: &str) {
        self.held.send_replace(Some(prefix.to_owned()));
    }

    /// Lets every held message through.
    pub fn release_held(&self) {
        self.held.send_replace(None);
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.state.lock().expect("sink lock").received.clone()
    }

    /// The messages accepted after the first `skip`, oldest first (for
    /// callers that poll a long run without copying everything each time).
    pub fn received_after(&self, skip: usize) -> Vec<ReceivedMail> {
        self.state.lock().expect("sink lock").received.iter().skip(skip).cloned().collect()
    }

    /// Refuse the next `count` messages at DATA time.
    pub fn refuse_next(&self, count: usize, refusal: Refusal) {
        let mut state = self.state.lock().expect("sink lock");
        state.refuse_next = count;
        state.refusal = Some(refusal);
    }
}

async fn session(socket: tokio::net::TcpStream, state: Arc<Mutex<State>>, mut held: watch::Receiver<Option<String>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    let _ = write.write_all(b"220 sink.test ESMTP ready\r\n").await;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") {
            b"250 sink.test\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = command[10..].trim().to_string();
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(command[8..].trim().trim_matches(['<', '>']).to_string());
            b"250 OK\r\n"
        } else if upper == "DATA" {
            let _ = write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await;
            let mut data = Vec::new();
            loop {
                let mut chunk = String::new();
                if lines.read_line(&mut chunk).await.unwrap_or(0) == 0 {
                    return;
                }
                if chunk == ".\r\n" {
                    break;
                }
                // Undo dot-stuffing.
                let chunk = chunk.strip_prefix('.').filter(|_| chunk.starts_with("..")).unwrap_or(&chunk);
                data.extend_from_slice(chunk.as_bytes());
            }
            let is_held = |prefix: &Option<String>| {
                prefix.as_deref().is_some_and(|prefix| to.iter().any(|rcpt| rcpt.starts_with(prefix)))
            };
            if held.wait_for(|prefix| !is_held(prefix)).await.is_err() {
                return;
            }
            let mut state = state.lock().expect("sink lock");
            if state.refuse_next > 0 {
                state.refuse_next -= 1;
                match state.refusal {
                    Some(Refusal::Permanent) => b"550 5.1.1 mailbox unavailable\r\n",
                    _ => b"451 4.3.0 try again later\r\n",
                }
            } else {
                state.received.push(ReceivedMail {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                    received_at: std::time::SystemTime::now(),
                });
                b"250 2.0.0 queued\r\n"
            }
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"502 command not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
