//! C2SP tlog-tiles: the Merkle tree served as static tiles of height 8
//! (`tile/<L>/<N>[.p/<W>]`, 256 hashes of 32 bytes when full) and the
//! entries as bundles (`tile/entries/<N>[.p/<W>]`, each entry prefixed by
//! its length as a big-endian uint16).

use super::merkle::{root, Hash};

/// Hashes in a full tile (tile height 8).
pub const WIDTH: u64 = 256;

/// One tile (or entry bundle) of a tree: level, index in the level, and
/// width (1–256; below 256 it is a partial tile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tile {
    pub level: u8,
    pub index: u64,
    pub width: u64,
}

/// `<N>` of a tile path: zero-padded 3-digit elements, all but the last
/// prefixed with `x` (1234067 → `x001/x234/067`).
pub fn encode_index(n: u64) -> String {
    let mut parts = vec![format!("{:03}", n % 1000)];
    let mut rest = n / 1000;
    while rest > 0 {
        parts.push(format!("x{:03}", rest % 1000));
        rest /= 1000;
    }
    parts.reverse();
    parts.join("/")
}

fn suffix(width: u64) -> String {
    if width == WIDTH {
        String::new()
    } else {
        format!(".p/{width}")
    }
}

impl Tile {
    /// `tile/<L>/<N>[.p/<W>]`.
    pub fn path(&self) -> String {
        format!(
            "tile/{}/{}{}",
            self.level,
            encode_index(self.index),
            suffix(self.width)
        )
    }

    /// `tile/entries/<N>[.p/<W>]` (level 0 only).
    pub fn bundle_path(&self) -> String {
        format!(
            "tile/entries/{}{}",
            encode_index(self.index),
            suffix(self.width)
        )
    }

    /// Leaves spanned by one hash of this tile: 256^level.
    fn span(&self) -> u64 {
        1u64 << (8 * u32::from(self.level))
    }

    /// The tile's bytes for a tree whose leaf hashes are `leaves`: hash
    /// `i` is the Merkle tree hash of the leaves
    /// `[(index·256 + i)·256^level, (index·256 + i + 1)·256^level)`.
    /// `None` when the tree is too small for this tile.
    pub fn bytes(&self, leaves: &[Hash]) -> Option<Vec<u8>> {
        let span = self.span();
        let mut out = Vec::with_capacity(self.width as usize * 32);
        for i in 0..self.width {
            let start = (self.index * WIDTH + i).checked_mul(span)?;
            let end = start.checked_add(span)?;
            let range = leaves.get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)?;
            out.extend_from_slice(&root(range));
        }
        Some(out)
    }
}

/// Every tile a tree of `size` leaves is served as, level by level: full
/// tiles, then the partial one (`floor(size / 256^L) mod 256` hashes) when
/// not empty.
pub fn tiles_for(size: u64) -> Vec<Tile> {
    let mut out = Vec::new();
    for level in 0u8..8 {
        let count = size >> (8 * u32::from(level));
        if count == 0 {
            break;
        }
        let full = count / WIDTH;
        out.extend((0..full).map(|index| Tile {
            level,
            index,
            width: WIDTH,
        }));
        if !count.is_multiple_of(WIDTH) {
            out.push(Tile {
                level,
                index: full,
                width: count % WIDTH,
            });
        }
    }
    out
}

/// The level-0 tiles of a tree: the entry bundles.
pub fn bundles_for(size: u64) -> Vec<Tile> {
    tiles_for(size)
        .into_iter()
        .filter(|t| t.level == 0)
        .collect()
}

/// An entry bundle: each entry as a big-endian uint16 length and its bytes.
pub fn encode_bundle<B: AsRef<[u8]>>(entries: &[B]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for e in entries {
        let e = e.as_ref();
        let len = u16::try_from(e.len())
            .map_err(|_| format!("日志条目长 {} 字节，超过 65535 字节的上限", e.len()))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(e);
    }
    Ok(out)
}

/// Split an entry bundle that must hold exactly `width` entries.
pub fn decode_bundle(bytes: &[u8], width: u64) -> Result<Vec<Vec<u8>>, String> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (len, tail) = match rest {
            [a, b, tail @ ..] => (usize::from(u16::from_be_bytes([*a, *b])), tail),
            _ => return Err("末尾有不完整的长度前缀".into()),
        };
        let entry = tail
            .get(..len)
            .ok_or_else(|| format!("第 {} 个条目被截断", out.len() + 1))?;
        out.push(entry.to_vec());
        rest = &tail[len..];
    }
    if out.len() as u64 != width {
        return Err(format!(
            "应有 {width} 个条目，实际有 {} 个（条目被删除或增加）",
            out.len()
        ));
    }
    Ok(out)
}
