//! Replays every fuzz seed and every crasher kept in `fuzz/regressions/<target>/` through the
//! fuzz targets' own checks.

use std::path::Path;

#[test]
fn every_seed_and_regression_passes_its_target() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut replayed = 0;
    for folder in ["corpus", "regressions"] {
        let Ok(targets) = std::fs::read_dir(fuzz.join(folder)) else {
            continue;
        };
        for target in targets.flatten() {
            let name = target.file_name().to_string_lossy().into_owned();
            let Ok(inputs) = std::fs::read_dir(target.path()) else {
                continue;
            };
            for input in inputs.flatten() {
                // In the corpus only the seeds kept in git (named with an extension) are replayed:
                // a fuzzer running beside the tests adds and removes its own files.
                if folder == "corpus" && input.path().extension().is_none() {
                    continue;
                }
                let Ok(data) = std::fs::read(input.path()) else {
                    continue;
                };
                assert!(
                    jauge_cli::fuzzing::run(&name, &data),
                    "no fuzz target called {name}"
                );
                replayed += 1;
            }
        }
    }
    assert!(
        replayed >= 10,
        "only {replayed} inputs replayed: are the seeds there?"
    );
}
