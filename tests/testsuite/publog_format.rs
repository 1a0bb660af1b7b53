//! The publication log's formats against known values: RFC 6962 roots
//! (the reference vectors), tlog-tiles paths and tiles, entry bundles,
//! signed notes (the Go `sumdb/note` example) and checkpoints.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::SigningKey;

use sanshen::publog::leaf::{leaf_bytes, parse_leaf};
use sanshen::publog::merkle::{hex, leaf_hash, node_hash, root, Hash};
use sanshen::publog::note::{key_id, open_checkpoint, sign_note, Checkpoint, NoteError};
use sanshen::publog::tiles::{decode_bundle, encode_bundle, encode_index, tiles_for, Tile};

/// The RFC 6962 test leaves and the roots of their first 1–8.
const LEAVES: &[&str] = &[
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];
const ROOTS: &[&str] = &[
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn merkle_roots_match_the_rfc_6962_vectors() {
    assert_eq!(
        hex(&root(&[])),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let hashes: Vec<Hash> = LEAVES.iter().map(|l| leaf_hash(&unhex(l))).collect();
    for (n, want) in ROOTS.iter().enumerate() {
        assert_eq!(hex(&root(&hashes[..=n])), *want, "tree of {} leaves", n + 1);
    }
}

/// The definition, level by level, as a second opinion for sizes the
/// vectors do not reach: pair left to right, carry an odd last node up.
fn brute_root(leaves: &[Hash]) -> Hash {
    // RFC 6962's split at the largest power of two is the same as building
    // perfect subtrees from the left; check that on random-ish sizes.
    if leaves.len() == 1 {
        return leaves[0];
    }
    let mut k = 1;
    while k * 2 < leaves.len() {
        k *= 2;
    }
    let mut level: Vec<Hash> = leaves[..k].to_vec();
    while level.len() > 1 {
        level = level.chunks(2).map(|c| node_hash(&c[0], &c[1])).collect();
    }
    node_hash(&level[0], &brute_root(&leaves[k..]))
}

#[test]
fn merkle_roots_agree_with_the_definition_for_many_sizes() {
    let hashes: Vec<Hash> = (0u32..600).map(|i| leaf_hash(&i.to_be_bytes())).collect();
    for n in [1, 2, 3, 5, 17, 255, 256, 257, 511, 600] {
        assert_eq!(root(&hashes[..n]), brute_root(&hashes[..n]), "size {n}");
    }
}

#[test]
fn tile_paths_use_the_x_prefixed_encoding() {
    assert_eq!(encode_index(0), "000");
    assert_eq!(encode_index(7), "007");
    assert_eq!(encode_index(1000), "x001/000");
    assert_eq!(encode_index(1234067), "x001/x234/067");
    let t = Tile {
        level: 0,
        index: 1234067,
        width: 256,
    };
    assert_eq!(t.path(), "tile/0/x001/x234/067");
    let p = Tile {
        level: 1,
        index: 0,
        width: 3,
    };
    assert_eq!(p.path(), "tile/1/000.p/3");
    assert_eq!(p.bundle_path(), "tile/entries/000.p/3");
}

#[test]
fn tiles_of_a_tree_follow_the_spec_examples() {
    // 70,000: 273 full level-0 tiles and one of width 112, one full level-1
    // tile and one of width 17, one level-2 tile of width 1.
    let t = tiles_for(70_000);
    let count = |l: u8, w: u64| t.iter().filter(|x| x.level == l && x.width == w).count();
    assert_eq!((count(0, 256), count(0, 112)), (273, 1));
    assert_eq!((count(1, 256), count(1, 17)), (1, 1));
    assert_eq!(count(2, 1), 1);
    assert_eq!(t.len(), 277);
    let t = tiles_for(256);
    assert_eq!(
        t.iter().map(Tile::path).collect::<Vec<_>>(),
        ["tile/0/000", "tile/1/000.p/1"]
    );
    assert!(tiles_for(0).is_empty());
}

#[test]
fn level_one_tile_hashes_are_roots_of_full_level_zero_tiles() {
    let hashes: Vec<Hash> = (0u32..300).map(|i| leaf_hash(&i.to_be_bytes())).collect();
    let t = tiles_for(300);
    let l0 = t[0].bytes(&hashes).unwrap();
    assert_eq!(l0.len(), 256 * 32);
    assert_eq!(&l0[..32], &hashes[0]);
    let l1 = t.iter().find(|x| x.level == 1).unwrap();
    assert_eq!(l1.width, 1);
    assert_eq!(l1.bytes(&hashes).unwrap(), root(&hashes[..256]).to_vec());
    let partial = t.iter().find(|x| x.level == 0 && x.width == 44).unwrap();
    assert_eq!(&partial.bytes(&hashes).unwrap()[..32], &hashes[256]);
}

#[test]
fn entry_bundles_are_uint16_length_prefixed() {
    let b = encode_bundle(&[b"".to_vec(), b"a".to_vec(), vec![7u8; 300]]).unwrap();
    assert_eq!(&b[..5], &[0, 0, 0, 1, b'a']);
    assert_eq!(&b[5..7], &[1, 44]);
    assert_eq!(decode_bundle(&b, 3).unwrap()[2].len(), 300);
    assert!(decode_bundle(&b, 2).is_err());
    assert!(decode_bundle(&b[..b.len() - 1], 3).is_err());
    assert!(encode_bundle(&[vec![0u8; 65_536]]).is_err());
}

#[test]
fn leaves_are_small_and_strict() {
    let leaf = leaf_bytes(12, b"{}\n");
    let text = String::from_utf8(leaf.clone()).unwrap();
    assert!(text.starts_with("sanshen-log-entry-v1\n12\nsha256:"));
    assert!(text.ends_with('\n'));
    assert_eq!(parse_leaf(&leaf).unwrap().0, 12);
    assert!(parse_leaf(text.replace("\n12\n", "\n012\n").as_bytes()).is_none());
    assert!(parse_leaf(text.to_uppercase().as_bytes()).is_none());
    assert!(parse_leaf(&leaf[..leaf.len() - 1]).is_none());
}

/// The example of golang.org/x/mod/sumdb/note: key `PeterNeumann`, key ID
/// c74f20a3, and its signed note byte for byte.
#[test]
fn signed_notes_match_the_go_reference_example() {
    let seed = STANDARD
        .decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
        .unwrap();
    assert_eq!(seed[0], 1);
    let key = SigningKey::from_bytes(&seed[1..].try_into().unwrap());
    let public = STANDARD
        .decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        .unwrap();
    assert_eq!(key.verifying_key().as_bytes(), &public[1..]);
    assert_eq!(
        key_id("PeterNeumann", &key.verifying_key()),
        [0xc7, 0x4f, 0x20, 0xa3]
    );
    let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    assert_eq!(
        sign_note(text, "PeterNeumann", &key),
        format!("{text}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")
    );
}

fn checkpoint() -> Checkpoint {
    Checkpoint {
        origin: "www.ceshi.gov.cn/sanshen-log".into(),
        size: 3,
        root: root(&[leaf_hash(b"a"), leaf_hash(b"b"), leaf_hash(b"c")]),
    }
}

#[test]
fn checkpoints_round_trip_and_detect_tampering() {
    let key = SigningKey::from_bytes(&[9; 32]);
    let cp = checkpoint();
    let note = cp.sign(&key);
    assert!(note.starts_with("www.ceshi.gov.cn/sanshen-log\n3\n"));
    assert!(note.contains("\n\n— www.ceshi.gov.cn/sanshen-log "));
    let vk = key.verifying_key();
    assert_eq!(open_checkpoint(note.as_bytes(), &vk).unwrap(), cp);
    // A bigger size with the old signature.
    let forged = note.replacen("\n3\n", "\n4\n", 1);
    assert_eq!(
        open_checkpoint(forged.as_bytes(), &vk),
        Err(NoteError::BadSignature)
    );
    // Signed by someone else under the same name.
    let other = cp.sign(&SigningKey::from_bytes(&[10; 32]));
    assert!(matches!(
        open_checkpoint(other.as_bytes(), &vk),
        Err(NoteError::UnknownKey(_))
    ));
    // Another key's signature is ignored as long as ours is there.
    let both = format!("{}{}", note, other.split("\n\n").nth(1).unwrap());
    assert_eq!(open_checkpoint(both.as_bytes(), &vk).unwrap(), cp);
    for bad in [
        note.replace("\n\n", "\n"),
        note.replace('\n', "\r\n"),
        note.trim_end().to_string(),
        note.replacen("\n3\n", "\n03\n", 1),
    ] {
        assert!(open_checkpoint(bad.as_bytes(), &vk).is_err(), "{bad:?}");
    }
}
