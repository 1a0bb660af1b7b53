//! The gate is sealed: no file system, environment, network, process or
//! clock in its source, and no dependency that could do it for it. Clippy
//! (`clippy.toml`) enforces the std functions; this test also catches a
//! path clippy's list might not name, and a new dependency.

use std::path::Path;

const FORBIDDEN: [&str; 10] = [
    "std::fs",
    "std::env",
    "std::net",
    "std::process",
    "SystemTime",
    "Instant::now",
    "Utc::now",
    "Local::now",
    "OsRng",
    "getrandom",
];

#[test]
fn gate_source_has_no_io_env_net_or_clock() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut seen = 0;
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        seen += 1;
        for word in FORBIDDEN {
            assert!(
                !text.contains(word),
                "{} uses {word}: the gate must take its inputs from the caller",
                path.display()
            );
        }
    }
    assert!(
        seen >= 10,
        "gate source files not found in {}",
        src.display()
    );
}

#[test]
fn gate_dependencies_cannot_do_io() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap();
    let names: Vec<&str> = deps
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .filter(|k| !k.is_empty() && !k.starts_with('#'))
        .collect();
    let allowed = [
        "base64",
        "chrono",
        "ed25519-dalek",
        "idna",
        "rand_core",
        "serde",
        "serde_yaml",
        "sha2",
        "thiserror",
        "url",
    ];
    for n in &names {
        assert!(
            allowed.contains(n),
            "the gate gained dependency `{n}`: check it does no I/O, then add it here"
        );
    }
    assert!(manifest.contains(
        "chrono = { version = \"0.4\", default-features = false, features = [\"std\"] }"
    ));
}
