//! `--state FILE`: the class written down after every change, so a stopped
//! server resumes the same class (seats, students, submissions, rounds and
//! join code). Each write goes to a temporary file in the same folder, is
//! synced, then renamed over the old one: a crash leaves either the old
//! class or the new, never half of one. Writes happen on a thread of their
//! own; when changes come faster than the disk, only the latest is written,
//! and each change's answer waits until a write that holds it is on disk.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};

use super::play::{Class, Stored};

/// What the file holds.
#[derive(Serialize, Deserialize)]
pub struct Saved {
    /// The scenario's name and the fingerprint of its text: a class is
    /// resumed only on the scenario it was played on.
    pub scenario: String,
    pub fingerprint: String,
    pub seed: u64,
    pub code: String,
    /// Each value under its field's path, as `--set` names it.
    pub class: Class<Stored>,
}

/// A change on its way to the disk: its number and the class as JSON.
struct Queued {
    n: u64,
    bytes: Vec<u8>,
}

/// The writer thread and the way to it.
pub struct Journal {
    path: PathBuf,
    tx: Mutex<Option<Sender<Queued>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    /// The number of the next change recorded.
    next: AtomicU64,
    /// The number of the last change on disk.
    written: tokio::sync::watch::Receiver<u64>,
}

impl Journal {
    pub fn start(path: PathBuf) -> Journal {
        let (tx, rx) = channel();
        let (done, written) = tokio::sync::watch::channel(0);
        let target = path.clone();
        let writer = std::thread::spawn(move || write_latest(&target, &rx, &done));
        Journal {
            path,
            tx: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            next: AtomicU64::new(1),
            written,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Queues the class as it is now (called under the room's lock, so
    /// changes are numbered in the order they were made); the change's
    /// number, to wait for.
    pub fn record(&self, saved: &Saved) -> u64 {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let Ok(bytes) = serde_json::to_vec(saved) else {
            return 0;
        };
        let tx = self.tx.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(tx) = tx.as_ref() {
            let _ = tx.send(Queued { n, bytes });
        }
        n
    }

    /// Returns once change `n` is on disk (or the writer has stopped).
    pub async fn written(&self, n: u64) {
        let mut w = self.written.clone();
        let _ = w.wait_for(|&done| done >= n).await;
    }

    /// Writes what is queued and stops the writer.
    pub fn close(&self) {
        self.tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(w) = writer {
            let _ = w.join();
        }
    }
}

fn write_latest(path: &Path, rx: &Receiver<Queued>, done: &tokio::sync::watch::Sender<u64>) {
    while let Ok(mut latest) = rx.recv() {
        while let Ok(newer) = rx.try_recv() {
            latest = newer;
        }
        if let Err(e) = write_atomically(path, &latest.bytes) {
            eprintln!(
                "warning: the class could not be saved to {}: {e}",
                path.display()
            );
        }
        // Changes are numbered in order, so this one holds all before it.
        done.send_replace(latest.n);
    }
}

/// Temporary file in the same folder, synced, renamed into place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut f = private_file(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The file holds the students' secrets: only its owner may read it.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Reads a saved class, if the file exists; what is wrong with it otherwise.
pub fn load(path: &Path) -> Result<Option<Saved>, String> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    if text.is_empty() {
        return Ok(None);
    }
    serde_json::from_slice(&text).map(Some).map_err(|e| {
        format!(
            "it is not a saved class ({e}); give another file, or delete this one to start afresh"
        )
    })
}
