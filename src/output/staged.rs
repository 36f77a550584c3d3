//! Writing results so that a reader never sees half of one: every file is
//! staged under a temporary name and renamed into place with the others.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The temporary name a file is written under before being renamed. It
/// keeps the extension, because the PNG encoder picks its format by it.
pub fn temp_name(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!(".{stem}.{}.tmp{ext}", std::process::id()))
}

/// Results staged under temporary names in their folder and renamed into
/// place together by [`Staged::commit`]. Dropped without a commit (an error
/// on the way), it removes what it staged: the folder keeps only what was
/// there before.
pub struct Staged {
    dir: PathBuf,
    files: Vec<(PathBuf, PathBuf)>,
}

pub type StageError = Box<dyn std::error::Error + Send + Sync>;

impl Staged {
    pub fn new(dir: &Path) -> Self {
        Staged {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        }
    }

    /// Reserves `name` in the folder and returns the temporary path to
    /// write it to; [`Staged::commit`] renames it into place. For a file
    /// another library writes by path (a chart's PNG encoder).
    pub fn stage(&mut self, name: &str) -> PathBuf {
        let path = self.dir.join(name);
        let tmp = temp_name(&path);
        self.files.push((path, tmp.clone()));
        tmp
    }

    /// Stages a data file.
    pub fn data(&mut self, name: &str, contents: &[u8]) -> Result<(), StageError> {
        let tmp = self.stage(name);
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        Ok(())
    }

    /// Renames every staged file into place; returns the final paths.
    pub fn commit(mut self) -> std::io::Result<Vec<PathBuf>> {
        let files = std::mem::take(&mut self.files);
        let mut done = Vec::new();
        for (i, (path, tmp)) in files.iter().enumerate() {
            if let Err(e) = std::fs::rename(tmp, path) {
                for (_, t) in &files[i..] {
                    let _ = std::fs::remove_file(t);
                }
                return Err(e);
            }
            done.push(path.clone());
        }
        Ok(done)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (_, tmp) in &self.files {
            let _ = std::fs::remove_file(tmp);
        }
    }
}
