//! The emitter over a small hand-written spec covering every shape: each generated file, the
//! naming table and the type mapping are snapshots; every example is a case of the gate.

use std::path::Path;

use b24_spec::Spec;

fn fixture() -> Spec {
    b24_spec::layout::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec"))
        .unwrap()
}

#[test]
fn generated_files_match_snapshots() {
    let files = b24_emit::generate(&fixture()).unwrap();
    for (path, text) in &files {
        assert!(
            b24_emit::is_generated_path(path),
            "{} is not claimed",
            path.display()
        );
        let header = if path.extension().is_some_and(|e| e == "rs") {
            b24_emit::RUST_HEADER
        } else {
            b24_emit::HASH_HEADER
        };
        assert!(
            text.starts_with(header),
            "{} lacks the header",
            path.display()
        );
        let name = path.display().to_string().replace('/', "__");
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn naming_table_is_reviewed() {
    let model = b24_emit::build::build(&fixture());
    insta::assert_snapshot!(b24_emit::review::naming_table(&model));
}

#[test]
fn type_table_is_reviewed() {
    let model = b24_emit::build::build(&fixture());
    insta::assert_snapshot!(b24_emit::review::type_table(&model));
}

#[test]
fn every_example_becomes_a_gate_case() {
    let spec = fixture();
    let files = b24_emit::generate(&spec).unwrap();
    let gate = &files[std::path::Path::new("tests/examples.rs")];
    let requests = spec
        .methods
        .iter()
        .filter(|m| m.examples.request.is_some())
        .count();
    assert_eq!(requests, 7);
    assert_eq!(gate.matches("    request::<").count(), requests);
    let responses = spec
        .methods
        .iter()
        .filter(|m| {
            m.examples
                .response
                .as_ref()
                .is_some_and(|r| r.get("result").is_some())
        })
        .count();
    assert_eq!(gate.matches("    response::<").count(), responses);
}

#[test]
fn ownership_covers_only_generator_files() {
    for owned in [
        "Cargo.toml",
        "ERRORS.md",
        "src/lib.rs",
        "src/v3/tasks.rs",
        "tests/examples.rs",
    ] {
        assert!(b24_emit::is_generated_path(Path::new(owned)), "{owned}");
    }
    for foreign in [
        "README.md",
        "tests/usage.rs",
        "benches/x.rs",
        "src/notes.txt",
    ] {
        assert!(
            !b24_emit::is_generated_path(Path::new(foreign)),
            "{foreign}"
        );
    }
}
