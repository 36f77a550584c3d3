//! A `zopa serve` process on a free port of 127.0.0.1, for the HTTP test,
//! the browser test and the server bench; it is stopped when dropped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    /// The teacher's token and the join code, with `--class`.
    pub teacher: Option<String>,
    pub code: Option<String>,
}

impl Server {
    /// Starts `zopa serve --port 0 --quiet ARGS` and reads the lines it
    /// prints: the address, then with `--class` the teacher's address and
    /// the join code.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args(["serve", "--port", "0", "--quiet"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the zopa binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut line = || lines.next().unwrap().unwrap();
        let first = line();
        let base = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap()
            .trim_end_matches('/')
            .to_string();
        let (mut teacher, mut code) = (None, None);
        if args.contains(&"--class") {
            teacher = Some(line().split("token=").nth(1).unwrap().trim().to_string());
            code = Some(line().split_whitespace().last().unwrap().to_string());
        }
        Server {
            child,
            base,
            teacher,
            code,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `host:port`, as a client dials it.
    #[allow(dead_code)]
    pub fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }

    /// Sends the process a signal (`TERM`, `INT`).
    #[allow(dead_code)]
    pub fn signal(&self, name: &str) {
        let sent = Command::new("kill")
            .args(["-s", name, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
    }

    /// Waits up to `within` for the process to end; how long it took.
    #[allow(dead_code)]
    pub fn ended_within(&mut self, within: std::time::Duration) -> Option<std::time::Duration> {
        let start = std::time::Instant::now();
        while start.elapsed() < within {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Some(start.elapsed());
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
