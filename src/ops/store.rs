//! The backup store of a deploy folder (R18): every released file's bytes
//! kept once under `objects/<2 hex>/<62 hex>` by SHA-256, outside the
//! served tree. Restore takes the released bytes from here.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::files;
use crate::manifest::sha256_hex;

/// The store's folder name inside a deploy folder.
pub const DIR: &str = "objects";

/// Where the bytes with hash `sha` are kept.
pub fn object_path(objects: &Path, sha: &str) -> PathBuf {
    let (head, tail) = sha.split_at(sha.len().min(2));
    objects.join(head).join(tail)
}

/// Keep `bytes` (whose hash is `sha`) unless a correct copy is there.
pub fn put(objects: &Path, sha: &str, bytes: &[u8]) -> io::Result<()> {
    let path = object_path(objects, sha);
    if let Ok(existing) = fs::read(&path) {
        if sha256_hex(&existing) == sha {
            return Ok(());
        }
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    files::write_atomic(&path, bytes)
}

/// The bytes with hash `sha`, only if they still hash to it.
pub fn get(objects: &Path, sha: &str) -> Result<Vec<u8>, String> {
    let path = object_path(objects, sha);
    let bytes = fs::read(&path).map_err(|e| format!("备份库中没有这个文件（{e}）"))?;
    if sha256_hex(&bytes) != sha {
        return Err(format!(
            "备份库中的副本 {} 已损坏或被改动，拒绝使用",
            path.display()
        ));
    }
    Ok(bytes)
}

/// Remove every object whose hash is not in `keep`; returns how many.
pub fn gc(objects: &Path, keep: &HashSet<String>) -> usize {
    let mut removed = 0;
    let Ok(heads) = fs::read_dir(objects) else {
        return 0;
    };
    for head in heads.flatten() {
        let head_name = head.file_name().to_string_lossy().into_owned();
        let Ok(tails) = fs::read_dir(head.path()) else {
            continue;
        };
        for tail in tails.flatten() {
            let sha = format!("{head_name}{}", tail.file_name().to_string_lossy());
            if !keep.contains(&sha) && fs::remove_file(tail.path()).is_ok() {
                removed += 1;
            }
        }
        let _ = fs::remove_dir(head.path());
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_get_and_collect() {
        let t = tempfile::tempdir().unwrap();
        let objects = t.path().join(DIR);
        let (a, b) = (sha256_hex(b"a"), sha256_hex(b"b"));
        put(&objects, &a, b"a").unwrap();
        put(&objects, &b, b"b").unwrap();
        put(&objects, &a, b"a").unwrap();
        assert_eq!(get(&objects, &a).unwrap(), b"a");
        fs::write(object_path(&objects, &b), "tampered").unwrap();
        assert!(get(&objects, &b).unwrap_err().contains("损坏"));
        put(&objects, &b, b"b").unwrap();
        assert_eq!(get(&objects, &b).unwrap(), b"b");
        let keep: HashSet<String> = [a.clone()].into_iter().collect();
        assert_eq!(gc(&objects, &keep), 1);
        assert!(get(&objects, &b).is_err());
        assert!(get(&objects, &a).is_ok());
    }
}
